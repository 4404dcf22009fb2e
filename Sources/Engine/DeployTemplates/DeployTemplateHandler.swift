import Domain
import EventStore
import Foundation
import Projections

/// Deploy templates: decided by ``DeployTemplateDecider``, appended to their own streams with
/// the name's uniqueness checked inside the writer's transaction.
public struct DeployTemplateHandler: Sendable {
    let store: LMDBEventStore
    let projections: ProjectionSet

    /// The template `uuid`, if it exists.
    public func template(_ uuid: UUID) throws -> DeployTemplate? { try projections.deployTemplates.record(uuid) }

    /// The template named `name`, if any.
    public func template(named name: String) throws -> DeployTemplate? {
        try projections.deployTemplates.uuid(named: name).flatMap { try template($0) }
    }

    /// Every template, in no particular order.
    public func all() throws -> [DeployTemplate] { try projections.deployTemplates.all() }

    /// `POST /v1/deploy_templates`: 409 for a name or UUID already taken.
    public func create(uuid: UUID, fields: [String: JSONValue], metadata: EventMetadata) async throws -> DeployTemplate {
        let events = try DeployTemplateDecider.create(uuid: uuid, fields: fields)
        guard case .deployTemplateCreated(let template) = events[0] else { throw DomainError.invalidState("Unexpected decision") }
        try checkName(template.name, for: uuid)
        let taken = DomainError.resourceAlreadyExists(kind: DeployTemplateRecords.kindName, id: uuid)
        if try projections.deployTemplates.record(uuid) != nil { throw taken }
        try await appender.create(stream: DeployTemplateStream.id(uuid), events: try ProposedEvent.records(events, metadata),
                                  condition: RecordNameCondition(projections.deployTemplates, record: uuid, name: template.name), taken: taken)
        return try self.template(uuid) ?? template
    }

    /// `PATCH /v1/deploy_templates/{id}`.
    public func update(_ uuid: UUID, patch: JSONValue, metadata: EventMetadata) async throws -> DeployTemplate {
        try await appender.run(busy: "Deploy template \(uuid.lowercased) is changing too quickly to apply this request; retry it.") {
            guard let versioned = try projections.deployTemplates.versioned(uuid) else { throw notFound(uuid) }
            let events = try DeployTemplateDecider.update(versioned.record, patch: patch)
            guard !events.isEmpty else { return .unchanged(versioned.record) }
            var name = versioned.record.name
            if case .deployTemplateUpdated(let changes) = events[0], case .string(let renamed)? = changes["name"] { name = renamed }
            try checkName(name, for: uuid)
            return .append([try append(events, to: uuid, at: versioned.version, metadata)],
                           condition: RecordNameCondition(projections.deployTemplates, record: uuid, name: name)) {
                try template(uuid) ?? versioned.record
            }
        }
    }

    /// `DELETE /v1/deploy_templates/{id}`.
    public func delete(_ uuid: UUID, metadata: EventMetadata) async throws {
        try await appender.run(busy: "Deploy template \(uuid.lowercased) is changing too quickly to delete it; retry it.") {
            guard let versioned = try projections.deployTemplates.versioned(uuid) else { throw notFound(uuid) }
            return .append([try append(DeployTemplateDecider.delete(versioned.record), to: uuid, at: versioned.version, metadata)]) {}
        }
    }

    /// The templates whose names are among `traits` (a node's `instance_info.traits`), by name.
    public func matching(traits: [String]) throws -> [DeployTemplate] {
        try Set(traits).sorted().compactMap { try template(named: $0) }
    }

    private func checkName(_ name: String, for uuid: UUID) throws {
        if let owner = try projections.deployTemplates.uuid(named: name), owner != uuid {
            throw DomainError.duplicateResourceName(kind: DeployTemplateRecords.kindName, name: name)
        }
    }

    private func notFound(_ uuid: UUID) -> DomainError { .resourceNotFound(kind: "Deploy template", id: uuid.lowercased) }

    private var appender: OptimisticAppend { OptimisticAppend(store: store) }

    private func append(_ events: [DeployTemplateEvent], to uuid: UUID, at version: UInt64, _ metadata: EventMetadata) throws -> StreamAppend {
        StreamAppend(streamID: DeployTemplateStream.id(uuid), expectedVersion: .exact(version), events: try ProposedEvent.records(events, metadata))
    }
}

extension Conductor {
    /// Where deploy templates are created, changed and deleted.
    public var deployTemplates: DeployTemplateHandler { DeployTemplateHandler(store: store, projections: projections) }
}
