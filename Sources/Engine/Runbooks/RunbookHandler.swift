import Domain
import EventStore
import Foundation
import Projections

/// Runbooks: decided by ``RunbookDecider``, appended to their own streams with the name's
/// uniqueness checked inside the writer's transaction.
public struct RunbookHandler: Sendable {
    let store: LMDBEventStore
    let projections: ProjectionSet

    /// The runbook `uuid`, if it exists.
    public func runbook(_ uuid: UUID) throws -> Runbook? { try projections.runbooks.record(uuid) }

    /// The runbook named `name`, if any.
    public func runbook(named name: String) throws -> Runbook? {
        try projections.runbooks.uuid(named: name).flatMap { try runbook($0) }
    }

    /// The runbook a provision request names: a UUID or a name; 404 if there is none.
    public func runbook(ident: String) throws -> Runbook {
        let found = try UUID(canonical: ident[...]).flatMap { try runbook($0) } ?? runbook(named: ident)
        guard let found else { throw DomainError.resourceNotFound(kind: "Runbook", id: ident) }
        return found
    }

    /// `PUT /v1/nodes/{id}/states/provision` with a `runbook`: the runbook `ident` names (UUID or
    /// name; 404 if none), checked against `node`'s traits, its steps becoming the clean or
    /// service steps of `arguments` (see ``RunbookUse``).
    public func provisionArguments(_ ident: String, _ arguments: ProvisionArguments, verb: ProvisionVerb, node: Node) throws -> ProvisionArguments {
        guard verb == .clean || verb == .service else { throw DomainError.invalidParameter(RunbookUse.wrongVerb) }
        return try RunbookUse.arguments(arguments, verb: verb, runbook: try runbook(ident: ident), node: node)
    }

    /// Every runbook, in no particular order.
    public func all() throws -> [Runbook] { try projections.runbooks.all() }

    /// `POST /v1/runbooks`: 409 for a name or UUID already taken.
    public func create(uuid: UUID, fields: [String: JSONValue], anyName: Bool, metadata: EventMetadata) async throws -> Runbook {
        let events = try RunbookDecider.create(uuid: uuid, fields: fields, anyName: anyName)
        guard case .runbookCreated(let runbook) = events[0] else { throw DomainError.invalidState("Unexpected decision") }
        try checkName(runbook.name, for: uuid)
        let taken = DomainError.resourceAlreadyExists(kind: RunbookRecords.kindName, id: uuid)
        if try projections.runbooks.record(uuid) != nil { throw taken }
        try await appender.create(stream: RunbookStream.id(uuid), events: try ProposedEvent.records(events, metadata),
                                  condition: RecordNameCondition(projections.runbooks, record: uuid, name: runbook.name), taken: taken)
        return try self.runbook(uuid) ?? runbook
    }

    /// `PATCH /v1/runbooks/{id}`.
    public func update(_ uuid: UUID, patch: JSONValue, anyName: Bool, metadata: EventMetadata) async throws -> Runbook {
        try await change(uuid, metadata: metadata) { try RunbookDecider.update($0, patch: patch, anyName: anyName) }
    }

    /// `PUT|DELETE /v1/runbooks/{id}/traits[/{trait}]` (1.112): the runbook's traits become
    /// what `traits` makes of the current ones.
    public func setTraits(_ uuid: UUID, metadata: EventMetadata, _ traits: @escaping @Sendable ([String]) -> [String]) async throws -> Runbook {
        try await change(uuid, metadata: metadata) { try RunbookDecider.setTraits($0, traits: traits($0.traits)) }
    }

    /// `DELETE /v1/runbooks/{id}`.
    public func delete(_ uuid: UUID, metadata: EventMetadata) async throws {
        try await appender.run(busy: "Runbook \(uuid.lowercased) is changing too quickly to delete it; retry it.") {
            guard let versioned = try projections.runbooks.versioned(uuid) else { throw notFound(uuid) }
            return .append([try append(RunbookDecider.delete(versioned.record), to: uuid, at: versioned.version, metadata)]) {}
        }
    }

    private func change(_ uuid: UUID, metadata: EventMetadata, _ decide: (Runbook) throws -> [RunbookEvent]) async throws -> Runbook {
        try await appender.run(busy: "Runbook \(uuid.lowercased) is changing too quickly to apply this request; retry it.") {
            guard let versioned = try projections.runbooks.versioned(uuid) else { throw notFound(uuid) }
            let events = try decide(versioned.record)
            guard !events.isEmpty else { return .unchanged(versioned.record) }
            var name = versioned.record.name
            if case .runbookUpdated(let changes) = events[0], case .string(let renamed)? = changes["name"] { name = renamed }
            try checkName(name, for: uuid)
            return .append([try append(events, to: uuid, at: versioned.version, metadata)],
                           condition: RecordNameCondition(projections.runbooks, record: uuid, name: name)) {
                try runbook(uuid) ?? versioned.record
            }
        }
    }

    private func checkName(_ name: String, for uuid: UUID) throws {
        if let owner = try projections.runbooks.uuid(named: name), owner != uuid {
            throw DomainError.duplicateResourceName(kind: RunbookRecords.kindName, name: name)
        }
    }

    private func notFound(_ uuid: UUID) -> DomainError { .resourceNotFound(kind: "Runbook", id: uuid.lowercased) }

    private var appender: OptimisticAppend { OptimisticAppend(store: store) }

    private func append(_ events: [RunbookEvent], to uuid: UUID, at version: UInt64, _ metadata: EventMetadata) throws -> StreamAppend {
        StreamAppend(streamID: RunbookStream.id(uuid), expectedVersion: .exact(version), events: try ProposedEvent.records(events, metadata))
    }
}

extension Conductor {
    /// Where runbooks are created, changed and deleted.
    public var runbooks: RunbookHandler { RunbookHandler(store: store, projections: projections) }
}
