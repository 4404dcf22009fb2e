import Domain
import EventStore

extension ProposedEvent {
    /// `events` as they are proposed to the log, each with `metadata`.
    static func records<Event: RecordEvent>(_ events: [Event], _ metadata: EventMetadata) throws -> [ProposedEvent] {
        try events.map { ProposedEvent(type: $0.typeName, schemaVersion: Event.schemaVersion, metadata: metadata, payload: try $0.encodedPayload()) }
    }
}
