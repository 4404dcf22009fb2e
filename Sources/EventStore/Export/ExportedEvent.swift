import Foundation

/// One line of an export: a recorded event's whole envelope, payload as base64 (sealed secrets
/// stay sealed), its hash as hex — enough to rebuild the envelope byte for byte and check its
/// place in the hash chain.
public struct ExportedEvent: Codable, Sendable, Equatable {
    public var position: UInt64
    public var stream: String
    public var streamVersion: UInt64
    public var previousPositionInStream: UInt64
    public var eventID: UUID
    public var type: String
    public var schemaVersion: UInt16
    public var recordedAtMicroseconds: Int64
    public var actor: String?
    public var project: String?
    public var requestID: String?
    public var correlationID: UUID?
    public var causationID: UUID?
    public var payload: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case position, stream, type, actor, project, payload, hash
        case streamVersion = "stream_version"
        case previousPositionInStream = "previous_position_in_stream"
        case eventID = "event_id"
        case schemaVersion = "schema_version"
        case recordedAtMicroseconds = "recorded_at_us"
        case requestID = "request_id"
        case correlationID = "correlation_id"
        case causationID = "causation_id"
    }

    /// The export of `event`.
    public init(_ event: RecordedEvent) {
        position = event.position
        stream = event.streamID
        streamVersion = event.streamVersion
        previousPositionInStream = event.previousPositionInStream
        eventID = event.eventID
        type = event.type
        schemaVersion = event.schemaVersion
        recordedAtMicroseconds = event.recordedAtMicroseconds
        actor = event.metadata.actor
        project = event.metadata.project
        requestID = event.metadata.requestID
        correlationID = event.metadata.correlationID
        causationID = event.metadata.causationID
        payload = event.payload.base64EncodedString()
        hash = event.hash.hex
    }

    /// The event it describes, or nil when its payload or hash is not well formed.
    var recorded: RecordedEvent? {
        guard let payload = Data(base64Encoded: payload), let hash = EnvelopeHash(hex: hash) else { return nil }
        return RecordedEvent(
            position: position, streamID: stream, streamVersion: streamVersion, previousPositionInStream: previousPositionInStream,
            eventID: eventID, type: type, schemaVersion: schemaVersion, recordedAtMicroseconds: recordedAtMicroseconds,
            metadata: EventMetadata(actor: actor, project: project, requestID: requestID, correlationID: correlationID, causationID: causationID),
            payload: payload, hash: hash
        )
    }
}

/// The first line of an export: what it is and where its log ends.
public struct ExportHeader: Codable, Sendable, Equatable {
    /// Always `ironlog-export`.
    public var format: String
    /// The export format version.
    public var version: Int
    /// The last position and hash in the export.
    public var headPosition: UInt64
    public var headHash: String

    enum CodingKeys: String, CodingKey {
        case format, version
        case headPosition = "head_position"
        case headHash = "head_hash"
    }

    /// The format name and version this build writes and reads.
    public static let formatName = "ironlog-export", currentVersion = 1
}
