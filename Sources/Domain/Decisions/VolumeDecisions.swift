import Foundation

/// Volume connectors and targets: unique connector (type, id) across the fleet, unique boot index
/// per node, edits only while the node is powered off; and attach-volume, each attached or
/// detached target an event.
enum VolumeDecisions {
    static let connectorFields: Set<String> = ["type", "connector_id", "extra"]
    /// The connector types Ironic's schema accepts.
    static let connectorTypes: Set<String> = ["iqn", "ip", "mac", "wwnn", "wwpn", "port", "portgroup"]
    static let targetFields: Set<String> = ["volume_type", "boot_index", "volume_id", "properties", "extra"]
    /// States in which a volume resource may be deleted although the node is powered on.
    static let deleteWhilePoweredOn: Set<ProvisionState> = [.enroll, .manageable, .adoptFailed]

    static func createConnector(_ aggregate: NodeAggregate, uuid: UUID, fields: [String: JSONValue], fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        if fleet.node(owning: uuid) != nil || aggregate.volumeConnectors[uuid] != nil { throw .resourceAlreadyExists(kind: "volume connector", id: uuid) }
        let connector = try ResourceFields.create(from: VolumeConnector(uuid: uuid, nodeUUID: aggregate.uuid, type: "", connectorID: ""),
                                                  kind: "volume connector", fields: fields, allowed: connectorFields,
                                                  required: ["type", "connector_id"])
        try checkConnectorType(connector)
        try checkConnectorUnique(connector, in: aggregate, fleet: fleet)
        try requireObject(connector.extra, "extra")
        return [.volumeConnectorCreated(connector: connector)]
    }

    static func updateConnector(_ aggregate: NodeAggregate, uuid: UUID, patch: JSONValue, fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        guard let connector = aggregate.volumeConnectors[uuid] else { throw .resourceNotFound(kind: "Volume connector", id: uuid.lowercased) }
        try requirePowerOff(aggregate, "volume connector update")
        let (changes, updated) = try ResourceFields.changes(applying: patch, to: connector, kind: "volume connector", patchable: connectorFields)
        guard !changes.isEmpty else { return [] }
        try checkConnectorType(updated)
        try checkConnectorUnique(updated, in: aggregate, fleet: fleet)
        try requireObject(updated.extra, "extra")
        return [.volumeConnectorUpdated(uuid: uuid, changes: changes)]
    }

    static func deleteConnector(_ aggregate: NodeAggregate, uuid: UUID) throws(DomainError) -> [NodeEvent] {
        guard aggregate.volumeConnectors[uuid] != nil else { throw .resourceNotFound(kind: "Volume connector", id: uuid.lowercased) }
        try requirePowerOffForDelete(aggregate, "volume connector deletion")
        return [.volumeConnectorDeleted(uuid: uuid)]
    }

    static func createTarget(_ aggregate: NodeAggregate, uuid: UUID, fields: [String: JSONValue], fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        if fleet.node(owning: uuid) != nil || aggregate.volumeTargets[uuid] != nil { throw .resourceAlreadyExists(kind: "volume target", id: uuid) }
        let target = try ResourceFields.create(from: VolumeTarget(uuid: uuid, nodeUUID: aggregate.uuid, volumeType: "", bootIndex: 0, volumeID: ""),
                                               kind: "volume target", fields: fields, allowed: targetFields,
                                               required: ["volume_type", "boot_index", "volume_id"])
        try checkBootIndexUnique(target, in: aggregate)
        try requireObject(target.extra, "extra")
        try requireObject(target.properties, "properties")
        return [.volumeTargetCreated(target: target)]
    }

    static func updateTarget(_ aggregate: NodeAggregate, uuid: UUID, patch: JSONValue) throws(DomainError) -> [NodeEvent] {
        guard let target = aggregate.volumeTargets[uuid] else { throw .resourceNotFound(kind: "Volume target", id: uuid.lowercased) }
        try requirePowerOff(aggregate, "volume target update")
        let (changes, updated) = try ResourceFields.changes(applying: patch, to: target, kind: "volume target", patchable: targetFields)
        guard !changes.isEmpty else { return [] }
        try checkBootIndexUnique(updated, in: aggregate)
        try requireObject(updated.extra, "extra")
        try requireObject(updated.properties, "properties")
        return [.volumeTargetUpdated(uuid: uuid, changes: changes)]
    }

    /// Deletes a target; one still attached is detached first, so the log says so.
    static func deleteTarget(_ aggregate: NodeAggregate, uuid: UUID) throws(DomainError) -> [NodeEvent] {
        guard let target = aggregate.volumeTargets[uuid] else { throw .resourceNotFound(kind: "Volume target", id: uuid.lowercased) }
        try requirePowerOffForDelete(aggregate, "volume target deletion")
        let detached: [NodeEvent] = aggregate.attachedVolumes[uuid] == nil ? [] : [.volumeDetached(attachment: VolumeAttachment(target), reason: .targetDeleted)]
        return detached + [.volumeTargetDeleted(uuid: uuid)]
    }

    /// One `VolumeAttached` per target not yet attached, in the order given.
    static func attach(_ aggregate: NodeAggregate, targets: [UUID]) throws(DomainError) -> [NodeEvent] {
        var events: [NodeEvent] = []
        for uuid in targets {
            guard let target = aggregate.volumeTargets[uuid] else { throw .resourceNotFound(kind: "Volume target", id: uuid.lowercased) }
            if aggregate.attachedVolumes[uuid] == nil { events.append(.volumeAttached(attachment: VolumeAttachment(target))) }
        }
        return events
    }

    /// One `VolumeDetached` per target attached, in the order given; others are left.
    static func detach(_ aggregate: NodeAggregate, targets: [UUID], reason: VolumeDetachReason) -> [NodeEvent] {
        targets.compactMap { uuid in
            guard aggregate.attachedVolumes[uuid] != nil, let target = aggregate.volumeTargets[uuid] else { return nil }
            return .volumeDetached(attachment: VolumeAttachment(target), reason: reason)
        }
    }

    private static func checkConnectorType(_ connector: VolumeConnector) throws(DomainError) {
        guard connectorTypes.contains(connector.type) else {
            throw .invalidField("type", reason: "\(connector.type) is not one of \(connectorTypes.sorted().joined(separator: ", "))")
        }
    }

    private static func requireObject(_ value: JSONValue, _ field: String) throws(DomainError) {
        guard case .object = value else { throw .invalidField(field, reason: "it must be an object") }
    }

    private static func requirePowerOff(_ aggregate: NodeAggregate, _ action: String) throws(DomainError) {
        guard aggregate.node.powerState == .off else {
            throw .volumeEditRequiresPowerOff(node: aggregate.uuid, action: action, powerState: aggregate.node.powerState)
        }
    }

    private static func requirePowerOffForDelete(_ aggregate: NodeAggregate, _ action: String) throws(DomainError) {
        guard aggregate.node.powerState == .off || deleteWhilePoweredOn.contains(aggregate.node.provisionState) else {
            throw .volumeEditRequiresPowerOff(node: aggregate.uuid, action: action, powerState: aggregate.node.powerState)
        }
    }

    private static func checkConnectorUnique(_ connector: VolumeConnector, in aggregate: NodeAggregate, fleet: any FleetLookup) throws(DomainError) {
        let local = aggregate.volumeConnectors.values.contains {
            $0.uuid != connector.uuid && $0.type == connector.type && $0.connectorID == connector.connectorID
        }
        if local { throw .duplicateVolumeConnector(type: connector.type, connectorID: connector.connectorID) }
        if let owner = fleet.volumeConnector(type: connector.type, connectorID: connector.connectorID), owner != connector.uuid {
            throw .duplicateVolumeConnector(type: connector.type, connectorID: connector.connectorID)
        }
    }

    private static func checkBootIndexUnique(_ target: VolumeTarget, in aggregate: NodeAggregate) throws(DomainError) {
        if aggregate.volumeTargets.values.contains(where: { $0.uuid != target.uuid && $0.bootIndex == target.bootIndex }) {
            throw .duplicateBootIndex(node: aggregate.uuid, bootIndex: target.bootIndex)
        }
    }
}
