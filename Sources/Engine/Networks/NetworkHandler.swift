import Domain
import EventStore
import Foundation
import Projections

/// Configured networks: decided by ``NetworkDecider``, appended to their own streams
/// `network/<uuid>` with the name's uniqueness checked inside the writer's transaction.
public struct NetworkHandler: Sendable {
    let store: LMDBEventStore
    let projections: ProjectionSet
    let configuration: EngineConfiguration

    /// The network `ident` names, by UUID or by name, if it exists.
    public func network(_ ident: String) throws -> Network? {
        if let uuid = Identifier.uuidLike(ident) { return try projections.networks.record(uuid) }
        return try projections.networks.uuid(named: ident).flatMap { try projections.networks.record($0) }
    }

    /// Every network, in no particular order.
    public func all() throws -> [Network] { try projections.networks.all() }

    /// `POST /v1/networks`: 409 for a name or UUID already taken.
    public func create(uuid: UUID, fields: [String: JSONValue], metadata: EventMetadata) async throws -> Network {
        let events = try NetworkDecider.create(uuid: uuid, fields: fields)
        guard case .networkCreated(let network) = events[0] else { throw DomainError.invalidState("Unexpected decision") }
        if let owner = try projections.networks.uuid(named: network.name), owner != uuid {
            throw DomainError.duplicateResourceName(kind: NetworkRecords.kindName, name: network.name)
        }
        let taken = DomainError.resourceAlreadyExists(kind: NetworkRecords.kindName, id: uuid)
        if try projections.networks.record(uuid) != nil { throw taken }
        try await OptimisticAppend(store: store).create(stream: NetworkStream.id(uuid), events: try ProposedEvent.records(events, metadata),
                                                        condition: RecordNameCondition(projections.networks, record: uuid, name: network.name), taken: taken)
        return try projections.networks.record(uuid) ?? network
    }

    /// `DELETE /v1/networks/{ident}`: 409 while a VIF, a switch port or a phase uses it.
    public func delete(_ uuid: UUID, metadata: EventMetadata) async throws {
        try await OptimisticAppend(store: store).run(busy: "Network \(uuid.lowercased) is changing too quickly to delete it; retry it.") {
            guard let versioned = try projections.networks.versioned(uuid) else { throw DomainError.resourceNotFound(kind: "Network", id: uuid.lowercased) }
            let events = try NetworkDecider.delete(versioned.record, users: try users(of: versioned.record.name))
            return .append([StreamAppend(streamID: NetworkStream.id(uuid), expectedVersion: .exact(versioned.version), events: try ProposedEvent.records(events, metadata))]) {}
        }
    }

    /// What uses the network `name`: VIFs bound with it, switch ports on it, phases it serves.
    func users(of name: String) throws -> [String] {
        var users = configuration.phaseNetworks.filter { $0.value == name }.map { "the \($0.key.rawValue) phase" }
        let nodes = try store.read { try NodeStore.all(in: $0, tables: projections.nodes.tables) }.filter { !$0.deleted }
        for aggregate in nodes {
            let node = aggregate.uuid.lowercased
            for port in aggregate.ports.values where port.tenantVIF != nil && port.internalInfo["tenant_network"]?.stringValue == name {
                users.append("VIF \(port.tenantVIF!) on node \(node)")
            }
            for group in aggregate.portGroups.values where group.tenantVIF != nil && group.internalInfo["tenant_network"]?.stringValue == name {
                users.append("VIF \(group.tenantVIF!) on node \(node)")
            }
            for state in aggregate.switchPorts.values where state.change.network == name {
                users.append("switch port \(state.change.switchName)/\(state.change.switchPort)")
            }
        }
        return users
    }
}

extension Conductor {
    /// Where networks are created and deleted.
    public var networks: NetworkHandler { NetworkHandler(store: store, projections: projections, configuration: configuration) }
}
