import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// A fake-hardware node that boots from a remote volume: the `ipxe` boot interface, the `direct`
/// deploy, the `external` storage interface, and no image to write.
private struct VolumeNode {
    static let initiator = "iqn.2024-01.org.example:node-1"
    let uuid: UUID
    let target = UUID()

    /// Enrolls the node with a PXE port and, unless told otherwise, its `iqn` connector; then
    /// its volume target; then makes it available (automated cleaning is off in these tests).
    static func enroll(_ fixture: ConductorFixture, volumeType: String = "iscsi", connectors: [(String, String)] = [("iqn", initiator)],
                       driverInfo: JSONValue = [:]) async throws -> VolumeNode {
        var info: [String: JSONValue] = ["deploy_kernel": "images/ipa.kernel", "deploy_ramdisk": "images/ipa.initramfs"]
        info.merge(driverInfo.objectValue ?? [:]) { $1 }
        let uuid = try await fixture.enroll(driverInfo: .object(info), fields: [
            "boot_interface": "ipxe", "deploy_interface": "direct", "storage_interface": "external",
        ])
        let node = VolumeNode(uuid: uuid)
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:dd:00:01"]), uuid)
        for (type, id) in connectors {
            try await fixture.command(.createVolumeConnector(uuid: UUID(), fields: ["type": .string(type), "connector_id": .string(id)]), uuid)
        }
        try await fixture.command(.createVolumeTarget(uuid: node.target, fields: [
            "volume_type": .string(volumeType), "boot_index": 0, "volume_id": "vol-boot",
            "properties": ["target_iqn": "iqn.2010-10.org.openstack:volume-boot", "target_portal": "192.0.2.10:3260", "target_lun": 1,
                           "auth_method": "CHAP", "auth_username": "chap-user", "auth_password": "chap-secret"],
        ]), uuid)
        try await fixture.provision(.manage, uuid)
        try await fixture.provision(.provide, uuid)
        return node
    }

    /// The attachment events carry.
    func attachment(_ volumeType: String = "iscsi") -> VolumeAttachment {
        VolumeAttachment(target: target, volumeType: volumeType, volumeID: "vol-boot", bootIndex: 0)
    }

    /// The node's row of the volume attachments read model.
    func row(_ fixture: ConductorFixture) throws -> VolumeAttachmentRow? {
        let tables = fixture.conductor.projections.nodes.tables
        return try fixture.conductor.store.read { try BindingReadModel.volumeAttachments(in: $0, tables: tables) }[target]
    }
}

private func fixtureWithoutCleaning(fake: FakeBehaviour = FakeBehaviour()) async throws -> ConductorFixture {
    var configuration = EngineConfiguration()
    configuration.automatedClean = false
    return try await ConductorFixture.start(configuration: configuration, fake: fake)
}

@Suite("Boot from volume through the engine: attach-volume events, the iPXE script, detach on undeploy and failure")
struct BootFromVolumeTests {
    @Test("An iSCSI boot volume: deployed without an image, its iPXE script exact, VolumeAttached recorded and projected; undeploy detaches")
    func iscsiDeployAndUndeploy() async throws {
        let fixture = try await fixtureWithoutCleaning()
        defer { fixture.stop(); fixture.remove() }
        let node = try await VolumeNode.enroll(fixture)
        #expect(try fixture.node(node.uuid).provisionState == .available)

        try await fixture.provision(.active, node.uuid)
        let deployed = try fixture.node(node.uuid)
        #expect(deployed.provisionState == .active, "\(deployed.lastError ?? "")")
        #expect(deployed.instanceInfo["image_source"] == nil)
        let history = try fixture.history(node.uuid)
        #expect(!history.contains { if case .provisionStateChanged(let change) = $0 { change.to == .waitCallBack } else { false } },
                "no agent is awaited: no image is written")

        let script = try #require(fixture.bootFile("\(node.uuid.lowercased)/boot.ipxe"))
        #expect(script == """
            #!ipxe
            # node \(node.uuid.lowercased): instance, boot from volume

            :boot_iscsi
            imgfree
            set initiator-iqn \(VolumeNode.initiator)
            set username chap-user
            set password chap-secret
            sanhook --drive 0x80 iscsi:192.0.2.10::3260:1:iqn.2010-10.org.openstack:volume-boot || goto fail_iscsi_retry
            sanboot --no-describe --drive 0x80 || goto fail_iscsi_retry

            :fail_iscsi_retry
            echo Failed to attach iSCSI volume(s), retrying in 10 seconds.
            sleep 10
            goto boot_iscsi

            """)
        #expect(try fixture.conductor.ipxeScript(of: node.uuid) == script, "the API serves the file the boot interface wrote")

        #expect(history.filter { if case .volumeAttached = $0 { true } else { false } } == [.volumeAttached(attachment: node.attachment())])
        let attached = try #require(try node.row(fixture))
        #expect(attached.attached && attached.bootVolume && attached.type == "iscsi" && attached.identifier == "vol-boot")
        let since = try #require(attached.attachedAt)
        #expect(since > 0)
        #expect(try fixture.conductor.commands.aggregate(node.uuid)?.attachedVolumes == [node.target: since])

        try await fixture.provision(.deleted, node.uuid)
        #expect(try fixture.node(node.uuid).provisionState == .available)
        #expect(try fixture.history(node.uuid).last { if case .volumeDetached = $0 { true } else { false } }
            == NodeEvent.volumeDetached(attachment: node.attachment(), reason: .undeploy))
        let detached = try #require(try node.row(fixture))
        #expect(!detached.attached && detached.attachedAt == nil)
        #expect(fixture.bootFile("\(node.uuid.lowercased)/boot.ipxe") == nil)
        #expect(try fixture.conductor.ipxeScript(of: node.uuid) == nil)
    }

    @Test("The target's CHAP password is sealed in the log, opened only for the script")
    func chapSecretSealed() async throws {
        let fixture = try await fixtureWithoutCleaning()
        defer { fixture.stop(); fixture.remove() }
        let node = try await VolumeNode.enroll(fixture)
        let created = try fixture.history(node.uuid).compactMap { event -> VolumeTarget? in
            if case .volumeTargetCreated(let target) = event { return target }
            return nil
        }
        let stored = try #require(created.first?.properties["auth_password"]?.stringValue)
        #expect(stored != "chap-secret" && SecretSealer.isSealed(stored))
        #expect(created.first?.properties["auth_username"] == "chap-user")
    }

    @Test("A deploy that fails after attaching detaches: VolumeDetached with reason deploy failed")
    func detachOnDeployFailure() async throws {
        let fixture = try await fixtureWithoutCleaning()
        defer { fixture.stop(); fixture.remove() }
        let node = try await VolumeNode.enroll(fixture, driverInfo: ["fake_fail": "power.set_power_state"])

        try await fixture.provision(.active, node.uuid)
        #expect(try fixture.node(node.uuid).provisionState == .deployFailed)
        let volumeEvents = try fixture.history(node.uuid).filter {
            switch $0 {
            case .volumeAttached, .volumeDetached: true
            default: false
            }
        }
        #expect(volumeEvents == [.volumeAttached(attachment: node.attachment()),
                                 .volumeDetached(attachment: node.attachment(), reason: .deployFailed)])
        #expect(try node.row(fixture)?.attached == false)
    }

    @Test("A Fibre Channel boot volume is programmed out of band by the fake management, booted as a disk, and cleared on undeploy")
    func fibreChannelOutOfBand() async throws {
        let fake = FakeBehaviour()
        let fixture = try await fixtureWithoutCleaning(fake: fake)
        defer { fixture.stop(); fixture.remove() }
        let node = try await VolumeNode.enroll(fixture, volumeType: "fibre_channel",
                                               connectors: [("wwnn", "20:00:00:25:b5:00:00:01"), ("wwpn", "21:00:00:25:b5:00:00:01")])

        try await fixture.provision(.active, node.uuid)
        let deployed = try fixture.node(node.uuid)
        #expect(deployed.provisionState == .active, "\(deployed.lastError ?? "")")
        #expect(fake.hardwareVolumeTargets(of: node.uuid) == [node.target])
        #expect(fake.hardwareBootDevice(of: node.uuid)?.device == .disk)
        #expect(try fixture.history(node.uuid).contains(.volumeAttached(attachment: node.attachment("fibre_channel"))))

        try await fixture.provision(.deleted, node.uuid)
        #expect(fake.hardwareVolumeTargets(of: node.uuid).isEmpty)
        #expect(try node.row(fixture)?.attached == false)
    }

    @Test("An iSCSI boot volume without an iqn connector: the deploy fails with why, nothing attached")
    func missingInitiator() async throws {
        let fixture = try await fixtureWithoutCleaning()
        defer { fixture.stop(); fixture.remove() }
        let node = try await VolumeNode.enroll(fixture, connectors: [])

        try await fixture.provision(.active, node.uuid)
        let failed = try fixture.node(node.uuid)
        #expect(failed.provisionState == .deployFailed)
        #expect(failed.lastError?.contains("no iSCSI connectors are configured for the node") == true)
        #expect(!(try fixture.history(node.uuid).contains { if case .volumeAttached = $0 { true } else { false } }))
        #expect(throws: DomainError.self) { try fixture.conductor.checkVolumes(node.uuid, before: .active) }
    }
}
