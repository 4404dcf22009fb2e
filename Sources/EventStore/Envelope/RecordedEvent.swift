import Foundation

/// One envelope of the log, exactly as stored: an event with the place and time the store gave it
/// and the hash that chains it to everything before it.
public struct RecordedEvent: Sendable, Hashable {
    /// The gapless global position, starting at 1.
    public var position: UInt64
    /// The stream the event belongs to.
    public var streamID: String
    /// The event's version within its stream, starting at 1.
    public var streamVersion: UInt64
    /// The position of the previous event of the same stream; 0 for a stream's first event.
    /// Streams are chains through the log as well as entries in it.
    public var previousPositionInStream: UInt64
    /// The event's identity (the idempotency key).
    public var eventID: UUID
    /// The event's type name.
    public var type: String
    /// The version of the payload's schema.
    public var schemaVersion: UInt16
    /// When the store recorded it, in microseconds since 1970; never earlier than the previous event's.
    public var recordedAtMicroseconds: Int64
    /// Who caused it and why.
    public var metadata: EventMetadata
    /// The payload as the appender encoded it.
    public var payload: Data
    /// SHA-256 over the previous envelope's hash followed by this envelope's canonical bytes.
    public var hash: EnvelopeHash

    /// When the store recorded the event.
    public var recordedAt: Date {
        Date(timeIntervalSince1970: Double(recordedAtMicroseconds) / 1_000_000)
    }

    /// Creates an envelope value (the store does this; tests and importers may too).
    public init(
        position: UInt64, streamID: String, streamVersion: UInt64, previousPositionInStream: UInt64, eventID: UUID, type: String,
        schemaVersion: UInt16, recordedAtMicroseconds: Int64, metadata: EventMetadata, payload: Data,
        hash: EnvelopeHash
    ) {
        self.position = position
        self.streamID = streamID
        self.streamVersion = streamVersion
        self.previousPositionInStream = previousPositionInStream
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAtMicroseconds = recordedAtMicroseconds
        self.metadata = metadata
        self.payload = payload
        self.hash = hash
    }
}
