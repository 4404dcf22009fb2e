import Domain
import EventStore
import Foundation
import Projections

/// Managed switches: decided by ``ManagedSwitchDecider``, appended to their own streams
/// `switch/<uuid>` with the name's uniqueness checked inside the writer's transaction; and the
/// switch ports the port-bindings read model has on each.
public struct SwitchHandler: Sendable {
    let store: LMDBEventStore
    let projections: ProjectionSet

    /// The switch `ident` names, by UUID or by name, if it exists.
    public func managedSwitch(_ ident: String) throws -> ManagedSwitch? {
        if let uuid = Identifier.uuidLike(ident) { return try projections.switches.record(uuid) }
        return try projections.switches.uuid(named: ident).flatMap { try projections.switches.record($0) }
    }

    /// Every switch, in no particular order.
    public func all() throws -> [ManagedSwitch] { try projections.switches.all() }

    /// `POST /v1/switches`: 409 for a name, switch id or UUID already taken.
    public func create(uuid: UUID, fields: [String: JSONValue], metadata: EventMetadata) async throws -> ManagedSwitch {
        let events = try ManagedSwitchDecider.create(uuid: uuid, fields: fields)
        guard case .switchCreated(let managedSwitch) = events[0] else { throw DomainError.invalidState("Unexpected decision") }
        if let owner = try projections.switches.uuid(named: managedSwitch.name), owner != uuid {
            throw DomainError.duplicateResourceName(kind: SwitchRecords.kindName, name: managedSwitch.name)
        }
        if let other = try all().first(where: { $0.switchID == managedSwitch.switchID && $0.uuid != uuid }) {
            throw DomainError.invalidState("Switch \(other.name) already has switch_id \(managedSwitch.switchID).")
        }
        let taken = DomainError.resourceAlreadyExists(kind: SwitchRecords.kindName, id: uuid)
        if try projections.switches.record(uuid) != nil { throw taken }
        try await OptimisticAppend(store: store).create(stream: SwitchStream.id(uuid), events: try ProposedEvent.records(events, metadata),
                                                        condition: RecordNameCondition(projections.switches, record: uuid, name: managedSwitch.name), taken: taken)
        return try projections.switches.record(uuid) ?? managedSwitch
    }

    /// `DELETE /v1/switches/{ident}`: 409 while node ports are recorded on its ports on a network.
    public func delete(_ uuid: UUID, metadata: EventMetadata) async throws {
        try await OptimisticAppend(store: store).run(busy: "Switch \(uuid.lowercased) is changing too quickly to delete it; retry it.") {
            guard let versioned = try projections.switches.versioned(uuid) else { throw DomainError.resourceNotFound(kind: "Switch", id: uuid.lowercased) }
            let users = try ports(of: versioned.record.name).filter { !$0.state.change.isParked }
                .map { "\($0.state.change.switchPort) on \($0.state.change.network!)" }
            let events = try ManagedSwitchDecider.delete(versioned.record, users: users)
            return .append([StreamAppend(streamID: SwitchStream.id(uuid), expectedVersion: .exact(versioned.version), events: try ProposedEvent.records(events, metadata))]) {}
        }
    }

    /// The switch ports of the switch named `name` that the port-bindings read model knows, with
    /// the node port cabled to each and where it is, sorted by switch port.
    public func ports(of name: String) throws -> [SwitchPortBinding] {
        let rows = try store.read { try BindingReadModel.portBindings(in: $0, tables: projections.nodes.tables) }
        return rows.compactMap { uuid, row in
            guard let state = row.switchPort, state.change.switchName == name else { return nil }
            return SwitchPortBinding(port: uuid, row: row, state: state)
        }.sorted { ($0.state.change.switchPort, $0.port.uuidString) < ($1.state.change.switchPort, $1.port.uuidString) }
    }
}

/// One switch port as the port-bindings read model has it: the node port cabled to it, its
/// binding row, and the VLAN it is on since when and why.
public struct SwitchPortBinding: Sendable, Hashable {
    /// The node's port.
    public let port: UUID
    /// The port's row in the read model (node, MAC, VIF, tenant network).
    public let row: PortBindingRow
    /// Where the switch port is.
    public let state: SwitchPortState
}

extension Conductor {
    /// Where switches are registered and deleted, and their ports read.
    public var switches: SwitchHandler { SwitchHandler(store: store, projections: projections) }
}
