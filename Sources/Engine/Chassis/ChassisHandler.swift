import Domain
import EventStore
import Foundation
import Projections

/// Chassis: decided by ``ChassisDecider``, appended to their own streams `chassis/<uuid>`.
public struct ChassisHandler: Sendable {
    let store: LMDBEventStore
    let projections: ProjectionSet

    /// The chassis `uuid`, if it exists.
    public func chassis(_ uuid: UUID) throws -> Chassis? { try projections.chassis.record(uuid) }

    /// Every chassis, in no particular order.
    public func all() throws -> [Chassis] { try projections.chassis.all() }

    /// The live nodes whose `chassis_uuid` is `uuid`.
    public func nodes(in uuid: UUID) throws -> [NodeAggregate] {
        try store.read { try NodeStore.all(in: $0, tables: projections.nodes.tables) }
            .filter { !$0.deleted && $0.node.chassisUUID == uuid }
    }

    /// `POST /v1/chassis`: 409 for a UUID already taken.
    public func create(uuid: UUID, fields: [String: JSONValue], metadata: EventMetadata) async throws -> Chassis {
        let events = try ChassisDecider.create(uuid: uuid, fields: fields)
        guard case .chassisCreated(let chassis) = events[0] else { throw DomainError.invalidState("Unexpected decision") }
        let taken = DomainError.resourceAlreadyExists(kind: ChassisRecords.kindName, id: uuid)
        if try projections.chassis.record(uuid) != nil { throw taken }
        try await appender.create(stream: ChassisStream.id(uuid), events: try ProposedEvent.records(events, metadata), taken: taken)
        return try self.chassis(uuid) ?? chassis
    }

    /// `PATCH /v1/chassis/{uuid}`.
    public func update(_ uuid: UUID, patch: JSONValue, metadata: EventMetadata) async throws -> Chassis {
        try await appender.run(busy: "Chassis \(uuid.lowercased) is changing too quickly to apply this request; retry it.") {
            guard let versioned = try projections.chassis.versioned(uuid) else { throw notFound(uuid) }
            let events = try ChassisDecider.update(versioned.record, patch: patch)
            guard !events.isEmpty else { return .unchanged(versioned.record) }
            return .append([try append(events, to: uuid, at: versioned.version, metadata)]) { try chassis(uuid) ?? versioned.record }
        }
    }

    /// `DELETE /v1/chassis/{uuid}`: 400 while nodes name it.
    public func delete(_ uuid: UUID, metadata: EventMetadata) async throws {
        try await appender.run(busy: "Chassis \(uuid.lowercased) is changing too quickly to delete it; retry it.") {
            guard let versioned = try projections.chassis.versioned(uuid) else { throw notFound(uuid) }
            let events = try ChassisDecider.delete(versioned.record, nodes: try nodes(in: uuid).count)
            return .append([try append(events, to: uuid, at: versioned.version, metadata)]) {}
        }
    }

    private var appender: OptimisticAppend { OptimisticAppend(store: store) }

    private func append(_ events: [ChassisEvent], to uuid: UUID, at version: UInt64, _ metadata: EventMetadata) throws -> StreamAppend {
        StreamAppend(streamID: ChassisStream.id(uuid), expectedVersion: .exact(version), events: try ProposedEvent.records(events, metadata))
    }

    private func notFound(_ uuid: UUID) -> DomainError { .resourceNotFound(kind: "Chassis", id: uuid.lowercased) }
}

extension Conductor {
    /// Where chassis are created, changed and deleted.
    public var chassis: ChassisHandler { ChassisHandler(store: store, projections: projections) }
}
