import Domain
import Drivers
import Foundation
import Testing

@Suite("The external storage interface: validation as Ironic's rules, iSCSI in band, Fibre Channel out of band")
struct ExternalStorageTests {
    /// A node booting from a Fibre Channel volume: a WWNN/WWPN pair and a boot target.
    static func fibreChannel(_ root: BootRoot) -> TaskBuilder {
        var builder = TaskBuilder(root: root, storage: "external", instanceInfo: [:])
        builder.volumeTargets = [VolumeTarget(uuid: UUID(), nodeUUID: builder.node.uuid, volumeType: "fibre_channel", bootIndex: 0, volumeID: "lun-7")]
        builder.volumeConnectors = [
            VolumeConnector(uuid: UUID(), nodeUUID: builder.node.uuid, type: "wwnn", connectorID: "20:00:00:25:b5:00:00:01"),
            VolumeConnector(uuid: UUID(), nodeUUID: builder.node.uuid, type: "wwpn", connectorID: "21:00:00:25:b5:00:00:01"),
        ]
        return builder
    }

    @Test("iSCSI needs an iqn connector; the reason names the target")
    func iscsiNeedsInitiator() throws {
        let root = BootRoot()
        var builder = NetworkBootTests.bootFromVolume(root)
        try builder.task().driver.storage!.validate(try builder.task())
        builder.volumeConnectors = []
        let task = try builder.task()
        let reason = builder.registry.validate(task)[.storage]?.reason
        #expect(reason == "Volume target \(builder.volumeTargets[0].uuid.lowercased) of node \(builder.node.uuid.lowercased) is configured for "
            + "'iscsi', however no iSCSI connectors are configured for the node: create a volume connector of type iqn with the node's initiator name")
    }

    @Test("An unknown volume_type is refused as Ironic's cinder interface does")
    func unknownVolumeType() throws {
        let root = BootRoot()
        var builder = NetworkBootTests.bootFromVolume(root)
        builder.volumeTargets[1].volumeType = "nvme"
        let task = try builder.task()
        #expect(throws: DriverError("Volume target \(builder.volumeTargets[1].uuid.lowercased) of node \(builder.node.uuid.lowercased) is of an "
            + "unknown type 'nvme'. Supported types: 'iscsi' or 'fibre_channel'")) {
            try task.driver.storage!.validate(task)
        }
    }

    @Test("Fibre Channel needs as many wwnn as wwpn connectors, and at least one wwpn")
    func fibreChannelConnectors() throws {
        let root = BootRoot()
        var builder = Self.fibreChannel(root)
        try builder.task().driver.storage!.validate(try builder.task())
        builder.volumeConnectors.removeFirst()
        let unpaired = try builder.task()
        #expect(throws: DriverError("Node \(builder.node.uuid.lowercased): Fibre Channel needs a wwpn volume connector for every wwnn one; "
            + "there are 1 wwpn and 0 wwnn connectors")) {
            try unpaired.driver.storage!.validate(unpaired)
        }
        builder.volumeConnectors = []
        let none = try builder.task()
        #expect(builder.registry.validate(none)[.storage]?.reason?.contains("no Fibre Channel WWPNs are configured") == true)
    }

    @Test("Fibre Channel with a management interface that cannot program it out of band: unsupported, said clearly")
    func fibreChannelUnsupported() async throws {
        let root = BootRoot()
        var builder = Self.fibreChannel(root)
        builder.node.driver = "ipmi"
        builder.node.interfaces[.power] = "ipmitool"
        builder.node.interfaces[.management] = "noop"
        let task = try builder.task()
        let reason = try #require(builder.registry.validate(task)[.storage]?.reason)
        #expect(reason.contains("the management interface noop cannot program one (unsupported)"))
        await #expect(throws: DriverError.self) { try await task.driver.storage!.attachVolumes(task) }
    }

    @Test("Fibre Channel with fake management: attach programs the target, the instance boots from disk, detach clears it")
    func fibreChannelOutOfBand() async throws {
        let root = BootRoot()
        let builder = Self.fibreChannel(root)
        let task = try builder.task()
        let storage = try #require(task.driver.storage)
        #expect(!storage.shouldWriteImage(task))
        try storage.validate(task)
        try task.driver.boot!.validate(task)
        try await storage.attachVolumes(task)
        #expect(builder.fake.hardwareVolumeTargets(of: builder.node.uuid) == [builder.volumeTargets[0].uuid])
        try await task.driver.boot!.prepareInstance(task)
        #expect(root.read(builder.ipxeScript)?.contains("sanboot --no-describe --drive 0x80 || exit") == true, "the adapter presents the volume as a disk")
        #expect(builder.fake.hardwareBootDevice(of: builder.node.uuid)?.device == .disk)
        try await storage.detachVolumes(task)
        #expect(builder.fake.hardwareVolumeTargets(of: builder.node.uuid).isEmpty)
    }

    @Test("noop attaches nothing; external and fake attach every target")
    func attachedTargets() throws {
        let root = BootRoot()
        var builder = NetworkBootTests.bootFromVolume(root)
        #expect(try builder.task().driver.storage!.attachedTargets(try builder.task()).count == 2)
        builder.node.interfaces[.storage] = "noop"
        #expect(try builder.task().driver.storage!.attachedTargets(try builder.task()).isEmpty)
        builder.node.interfaces[.storage] = "fake"
        #expect(try builder.task().driver.storage!.attachedTargets(try builder.task()).count == 2)
    }
}
