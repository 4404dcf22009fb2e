import Domain
import EventStore
import Foundation
import Projections

/// Inspection rules: decided by ``InspectionRuleDecider`` and appended to their own streams.
public struct InspectionRuleHandler: Sendable {
    let store: LMDBEventStore
    let projections: ProjectionSet

    /// The rule `uuid`, if it exists.
    public func rule(_ uuid: UUID) throws -> InspectionRule? { try projections.inspectionRules.record(uuid) }

    /// Every rule, in no particular order.
    public func all() throws -> [InspectionRule] { try projections.inspectionRules.all() }

    /// `POST /v1/inspection_rules`: 409 for a UUID already taken.
    public func create(uuid: UUID, fields: [String: JSONValue], metadata: EventMetadata) async throws -> InspectionRule {
        let events = try InspectionRuleDecider.create(uuid: uuid, fields: fields)
        guard case .inspectionRuleCreated(let rule) = events[0] else { throw DomainError.invalidState("Unexpected decision") }
        let taken = DomainError.resourceAlreadyExists(kind: InspectionRuleRecords.kindName, id: uuid)
        if try projections.inspectionRules.record(uuid) != nil { throw taken }
        try await appender.create(stream: InspectionRuleStream.id(uuid), events: try ProposedEvent.records(events, metadata), taken: taken)
        return try self.rule(uuid) ?? rule
    }

    /// `PATCH /v1/inspection_rules/{uuid}`.
    public func update(_ uuid: UUID, patch: JSONValue, metadata: EventMetadata) async throws -> InspectionRule {
        try await appender.run(busy: "Inspection rule \(uuid.lowercased) is changing too quickly to apply this request; retry it.") {
            guard let versioned = try projections.inspectionRules.versioned(uuid) else { throw notFound(uuid) }
            let events = try InspectionRuleDecider.update(versioned.record, patch: patch)
            guard !events.isEmpty else { return .unchanged(versioned.record) }
            return .append([try append(events, to: uuid, at: versioned.version, metadata)]) { try rule(uuid) ?? versioned.record }
        }
    }

    /// `DELETE /v1/inspection_rules/{uuid}`.
    public func delete(_ uuid: UUID, metadata: EventMetadata) async throws {
        try await appender.run(busy: "Inspection rule \(uuid.lowercased) is changing too quickly to delete it; retry it.") {
            guard let versioned = try projections.inspectionRules.versioned(uuid) else { throw notFound(uuid) }
            return .append([try append(InspectionRuleDecider.delete(versioned.record), to: uuid, at: versioned.version, metadata)]) {}
        }
    }

    private func notFound(_ uuid: UUID) -> DomainError { .resourceNotFound(kind: "Inspection rule", id: uuid.lowercased) }

    private var appender: OptimisticAppend { OptimisticAppend(store: store) }

    private func append(_ events: [InspectionRuleEvent], to uuid: UUID, at version: UInt64, _ metadata: EventMetadata) throws -> StreamAppend {
        StreamAppend(streamID: InspectionRuleStream.id(uuid), expectedVersion: .exact(version), events: try ProposedEvent.records(events, metadata))
    }
}

extension Conductor {
    /// Where inspection rules are created, changed and deleted.
    public var inspectionRules: InspectionRuleHandler { InspectionRuleHandler(store: store, projections: projections) }
}
