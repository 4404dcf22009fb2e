import Domain
import Foundation
import Testing

private let iqn1 = "iqn.2024-01.org.example:node1"
private let iqn2 = "iqn.2024-01.org.example:node2"

private func connector(_ uuid: UUID, _ connectorID: String, type: String = "iqn") -> VolumeConnector {
    VolumeConnector(uuid: uuid, nodeUUID: ID.node, type: type, connectorID: connectorID)
}

private func target(_ uuid: UUID, bootIndex: Int, volumeID: String = "vol-1") -> VolumeTarget {
    VolumeTarget(uuid: uuid, nodeUUID: ID.node, volumeType: "iscsi", bootIndex: bootIndex, volumeID: volumeID)
}

private let withConnector: [NodeEvent] = [.volumeConnectorCreated(connector: connector(ID.connector1, iqn1))]
private let withTarget: [NodeEvent] = [.volumeTargetCreated(target: target(ID.target1, bootIndex: 0))]

@Suite("Decide: volume connectors (/v1/volume/connectors)")
struct NodeDeciderVolumeConnectorTests {
    @Test("a connector needs type and connector_id")
    func create() {
        given(History.enroll)
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["type": "iqn", "connector_id": .string(iqn1)]))
            .then([.volumeConnectorCreated(connector: connector(ID.connector1, iqn1))])
        var withExtra = connector(ID.connector1, "52:54:00:00:00:0a", type: "mac")
        withExtra.extra = ["note": "x"]
        given(History.enroll)
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["type": "mac", "connector_id": "52:54:00:00:00:0a", "extra": ["note": "x"]]))
            .then([.volumeConnectorCreated(connector: withExtra)])
    }

    @Test("create goes straight through, whatever the node's power or state")
    func createWhilePoweredOn() {
        given(History.active + History.poweredOn)
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["type": "iqn", "connector_id": .string(iqn1)]))
            .then([.volumeConnectorCreated(connector: connector(ID.connector1, iqn1))])
    }

    @Test("type and connector_id are required (400)")
    func required() {
        given(History.enroll)
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["connector_id": .string(iqn1)]))
            .then(.missingParameter("type"), httpStatus: 400)
        given(History.enroll)
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["type": "iqn"]))
            .then(.missingParameter("connector_id"), httpStatus: 400)
    }

    @Test("an unknown field is refused (400)")
    func unknownField() {
        given(History.enroll)
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["type": "iqn", "connector_id": .string(iqn1), "wwpn": "x"]))
            .then(.invalidField("wwpn", reason: "it is not a field a volume connector can be created with"), httpStatus: 400)
    }

    @Test("the same type and connector_id twice is refused (409), on this node or elsewhere")
    func duplicate() {
        given(History.enroll + withConnector)
            .when(.createVolumeConnector(uuid: ID.connector2, fields: ["type": "iqn", "connector_id": .string(iqn1)]))
            .then(.duplicateVolumeConnector(type: "iqn", connectorID: iqn1), httpStatus: 409)
        given(History.enroll, fleet: FakeFleet(connectors: ["iqn/\(iqn1)": ID.connector2]))
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["type": "iqn", "connector_id": .string(iqn1)]))
            .then(.duplicateVolumeConnector(type: "iqn", connectorID: iqn1), httpStatus: 409)
    }

    @Test("the same connector_id with another type is fine")
    func sameIDOtherType() {
        given(History.enroll + withConnector)
            .when(.createVolumeConnector(uuid: ID.connector2, fields: ["type": "ip", "connector_id": .string(iqn1)]))
            .then([.volumeConnectorCreated(connector: connector(ID.connector2, iqn1, type: "ip"))])
    }

    @Test("a connector UUID that exists is refused (409)")
    func duplicateUUID() {
        given(History.enroll + withConnector)
            .when(.createVolumeConnector(uuid: ID.connector1, fields: ["type": "iqn", "connector_id": .string(iqn2)]))
            .then(.resourceAlreadyExists(kind: "volume connector", id: ID.connector1), httpStatus: 409)
    }

    @Test("PATCH works while the node is powered off")
    func update() {
        given(History.enroll + History.poweredOff + withConnector)
            .when(.updateVolumeConnector(uuid: ID.connector1, patch: patch(("replace", "/connector_id", .string(iqn2)))))
            .then([.volumeConnectorUpdated(uuid: ID.connector1, changes: ["connector_id": .string(iqn2)])])
    }

    @Test("PATCH needs the node powered off (400)", arguments: [PowerState?.some(.on), nil, .error])
    func updateNeedsPowerOff(power: PowerState?) {
        given(History.enroll + [.powerStateChanged(from: nil, to: power)] + withConnector)
            .when(.updateVolumeConnector(uuid: ID.connector1, patch: patch(("replace", "/connector_id", .string(iqn2)))))
            .then(.volumeEditRequiresPowerOff(node: ID.node, action: "volume connector update", powerState: power), httpStatus: 400)
    }

    @Test("PATCH to a type and connector_id another connector has is refused (409)")
    func updateDuplicate() {
        given(History.enroll + History.poweredOff + withConnector + [.volumeConnectorCreated(connector: connector(ID.connector2, iqn2))])
            .when(.updateVolumeConnector(uuid: ID.connector2, patch: patch(("replace", "/connector_id", .string(iqn1)))))
            .then(.duplicateVolumeConnector(type: "iqn", connectorID: iqn1), httpStatus: 409)
    }

    @Test("PATCH of an unknown connector is not found (404)")
    func updateUnknown() {
        given(History.enroll + History.poweredOff)
            .when(.updateVolumeConnector(uuid: ID.connector1, patch: patch(("replace", "/connector_id", .string(iqn2)))))
            .then(.resourceNotFound(kind: "Volume connector", id: ID.connector1.lowercased), httpStatus: 404)
    }

    @Test("DELETE works while powered off, in any state")
    func deletePoweredOff() {
        given(History.active + History.poweredOff + withConnector)
            .when(.deleteVolumeConnector(uuid: ID.connector1))
            .then([.volumeConnectorDeleted(uuid: ID.connector1)])
    }

    @Test("DELETE while powered on works in enroll, manageable and adopt failed", arguments: [
        ProvisionState.enroll, .manageable, .adoptFailed,
    ])
    func deletePoweredOnAllowed(state: ProvisionState) {
        given(History.reaching(state) + History.poweredOn + withConnector)
            .when(.deleteVolumeConnector(uuid: ID.connector1))
            .then([.volumeConnectorDeleted(uuid: ID.connector1)])
    }

    @Test("DELETE while powered on elsewhere is refused (400)", arguments: [ProvisionState.available, .active, .deploying, .cleanFailed])
    func deletePoweredOnRefused(state: ProvisionState) {
        given(History.reaching(state) + History.poweredOn + withConnector)
            .when(.deleteVolumeConnector(uuid: ID.connector1))
            .then(.volumeEditRequiresPowerOff(node: ID.node, action: "volume connector deletion", powerState: .on), httpStatus: 400)
    }

    @Test("DELETE of an unknown connector is not found (404)")
    func deleteUnknown() {
        given(History.enroll)
            .when(.deleteVolumeConnector(uuid: ID.connector1))
            .then(.resourceNotFound(kind: "Volume connector", id: ID.connector1.lowercased), httpStatus: 404)
    }
}

@Suite("Decide: volume targets (/v1/volume/targets)")
struct NodeDeciderVolumeTargetTests {
    @Test("a target needs volume_type, boot_index and volume_id")
    func create() {
        given(History.enroll)
            .when(.createVolumeTarget(uuid: ID.target1, fields: ["volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-1"]))
            .then([.volumeTargetCreated(target: target(ID.target1, bootIndex: 0))])
        var full = target(ID.target1, bootIndex: 0)
        full.properties = ["target_iqn": "iqn.2024-01.org.example:vol1", "target_lun": 0, "target_portal": "10.0.0.5:3260"]
        full.extra = ["a": 1]
        given(History.enroll)
            .when(.createVolumeTarget(uuid: ID.target1, fields: [
                "volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-1", "extra": ["a": 1],
                "properties": ["target_iqn": "iqn.2024-01.org.example:vol1", "target_lun": 0, "target_portal": "10.0.0.5:3260"],
            ]))
            .then([.volumeTargetCreated(target: full)])
    }

    @Test("each required field is required (400)", arguments: ["volume_type", "boot_index", "volume_id"])
    func required(field: String) {
        var fields: [String: JSONValue] = ["volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-1"]
        fields.removeValue(forKey: field)
        given(History.enroll).when(.createVolumeTarget(uuid: ID.target1, fields: fields)).then(.missingParameter(field), httpStatus: 400)
    }

    @Test("boot_index must be an integer (400)")
    func bootIndexType() {
        given(History.enroll)
            .when(.createVolumeTarget(uuid: ID.target1, fields: ["volume_type": "iscsi", "boot_index": "zero", "volume_id": "vol-1"]))
            .thenRefused(httpStatus: 400)
    }

    @Test("an unknown field is refused (400)")
    func unknownField() {
        given(History.enroll)
            .when(.createVolumeTarget(uuid: ID.target1, fields: ["volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-1", "lun": 1]))
            .then(.invalidField("lun", reason: "it is not a field a volume target can be created with"), httpStatus: 400)
    }

    @Test("a boot_index the node already uses is refused (409); another is fine")
    func duplicateBootIndex() {
        given(History.enroll + withTarget)
            .when(.createVolumeTarget(uuid: ID.target2, fields: ["volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-2"]))
            .then(.duplicateBootIndex(node: ID.node, bootIndex: 0), httpStatus: 409)
        given(History.enroll + withTarget)
            .when(.createVolumeTarget(uuid: ID.target2, fields: ["volume_type": "iscsi", "boot_index": 1, "volume_id": "vol-2"]))
            .then([.volumeTargetCreated(target: target(ID.target2, bootIndex: 1, volumeID: "vol-2"))])
    }

    @Test("a target UUID that exists is refused (409)")
    func duplicateUUID() {
        given(History.enroll + withTarget)
            .when(.createVolumeTarget(uuid: ID.target1, fields: ["volume_type": "iscsi", "boot_index": 3, "volume_id": "vol-3"]))
            .then(.resourceAlreadyExists(kind: "volume target", id: ID.target1), httpStatus: 409)
    }

    @Test("PATCH works while powered off; a boot_index in use is refused (409)")
    func update() {
        let twoTargets = History.enroll + History.poweredOff + withTarget + [.volumeTargetCreated(target: target(ID.target2, bootIndex: 1, volumeID: "vol-2"))]
        given(twoTargets)
            .when(.updateVolumeTarget(uuid: ID.target2, patch: patch(("replace", "/boot_index", 2), ("add", "/properties/target_lun", 1))))
            .then([.volumeTargetUpdated(uuid: ID.target2, changes: ["boot_index": 2, "properties": ["target_lun": 1]])])
        given(twoTargets)
            .when(.updateVolumeTarget(uuid: ID.target2, patch: patch(("replace", "/boot_index", 0))))
            .then(.duplicateBootIndex(node: ID.node, bootIndex: 0), httpStatus: 409)
    }

    @Test("PATCH needs the node powered off (400)")
    func updateNeedsPowerOff() {
        given(History.enroll + History.poweredOn + withTarget)
            .when(.updateVolumeTarget(uuid: ID.target1, patch: patch(("replace", "/volume_id", "vol-9"))))
            .then(.volumeEditRequiresPowerOff(node: ID.node, action: "volume target update", powerState: .on), httpStatus: 400)
    }

    @Test("PATCH of an unknown target is not found (404)")
    func updateUnknown() {
        given(History.enroll + History.poweredOff)
            .when(.updateVolumeTarget(uuid: ID.target1, patch: patch(("replace", "/volume_id", "vol-9"))))
            .then(.resourceNotFound(kind: "Volume target", id: ID.target1.lowercased), httpStatus: 404)
    }

    @Test("DELETE follows the power rules: off anywhere; on only in enroll, manageable, adopt failed")
    func delete() {
        given(History.active + History.poweredOff + withTarget + [.volumeAttached(attachment: VolumeAttachment(target(ID.target1, bootIndex: 0)))])
            .when(.deleteVolumeTarget(uuid: ID.target1))
            .then([.volumeDetached(attachment: VolumeAttachment(target(ID.target1, bootIndex: 0)), reason: .targetDeleted),
                   .volumeTargetDeleted(uuid: ID.target1)])
        given(History.active + History.poweredOff + withTarget).when(.deleteVolumeTarget(uuid: ID.target1)).then([.volumeTargetDeleted(uuid: ID.target1)])
        given(History.manageable + History.poweredOn + withTarget).when(.deleteVolumeTarget(uuid: ID.target1)).then([.volumeTargetDeleted(uuid: ID.target1)])
        given(History.active + History.poweredOn + withTarget)
            .when(.deleteVolumeTarget(uuid: ID.target1))
            .then(.volumeEditRequiresPowerOff(node: ID.node, action: "volume target deletion", powerState: .on), httpStatus: 400)
        given(History.enroll)
            .when(.deleteVolumeTarget(uuid: ID.target1))
            .then(.resourceNotFound(kind: "Volume target", id: ID.target1.lowercased), httpStatus: 404)
    }
}

@Suite("Decide: attach and detach volumes (storage interface)")
struct NodeDeciderVolumeAttachTests {
    static let twoTargets = History.enroll + withTarget + [.volumeTargetCreated(target: target(ID.target2, bootIndex: 1, volumeID: "vol-2"))]

    static let first = VolumeAttachment(target: ID.target1, volumeType: "iscsi", volumeID: "vol-1", bootIndex: 0)
    static let second = VolumeAttachment(target: ID.target2, volumeType: "iscsi", volumeID: "vol-2", bootIndex: 1)

    @Test("attaching records one VolumeAttached per target not yet attached, with its type, volume and boot index")
    func attach() {
        given(Self.twoTargets).when(.attachVolumes([ID.target1, ID.target2]))
            .then([.volumeAttached(attachment: Self.first), .volumeAttached(attachment: Self.second)])
        given(Self.twoTargets + [.volumeAttached(attachment: Self.first)])
            .when(.attachVolumes([ID.target1, ID.target2]))
            .then([.volumeAttached(attachment: Self.second)])
        given(Self.twoTargets + [.volumeAttached(attachment: Self.first)]).when(.attachVolumes([ID.target1])).then([])
        // A target attached by an earlier version's event counts as attached.
        given(Self.twoTargets + [.volumesAttached(targets: [ID.target1])]).when(.attachVolumes([ID.target1])).then([])
    }

    @Test("attaching an unknown target is not found (404)")
    func attachUnknown() {
        given(Self.twoTargets)
            .when(.attachVolumes([ID.target1, ID.unknown]))
            .then(.resourceNotFound(kind: "Volume target", id: ID.unknown.lowercased), httpStatus: 404)
    }

    @Test("detaching records one VolumeDetached per target attached, with why")
    func detach() {
        given(Self.twoTargets + [.volumeAttached(attachment: Self.first)])
            .when(.detachVolumes([ID.target1, ID.target2, ID.unknown], reason: .undeploy))
            .then([.volumeDetached(attachment: Self.first, reason: .undeploy)])
        given(Self.twoTargets + [.volumeAttached(attachment: Self.first), .volumeAttached(attachment: Self.second)])
            .when(.detachVolumes([ID.target1, ID.target2], reason: .deployFailed))
            .then([.volumeDetached(attachment: Self.first, reason: .deployFailed), .volumeDetached(attachment: Self.second, reason: .deployFailed)])
        given(Self.twoTargets).when(.detachVolumes([ID.target1], reason: .undeploy)).then([])
    }

    @Test("the aggregate keeps when each volume was attached; a detach forgets it")
    func attachedSince() throws {
        let attached = try #require(given(Self.twoTargets + [.volumeAttached(attachment: Self.second)]).state)
        #expect(attached.attachedVolumes.keys.sorted { $0.uuidString < $1.uuidString } == [ID.target2])
        let detached = try #require(given(Self.twoTargets + [.volumeAttached(attachment: Self.second),
                                                             .volumeDetached(attachment: Self.second, reason: .undeploy)]).state)
        #expect(detached.attachedVolumes.isEmpty)
    }
}
