import Foundation

/// An event a caller wants appended: everything but the position, version, time and hash, which
/// the store assigns when it writes the envelope.
public struct ProposedEvent: Sendable, Hashable {
    /// The event's identity. Re-sending the same id is idempotent: the store returns the position
    /// it was first written at and writes nothing.
    public var eventID: UUID
    /// The event's type name, e.g. `NodeEnrolled`.
    public var type: String
    /// The version of the payload's schema for this type, so old events stay readable.
    public var schemaVersion: UInt16
    /// Who caused it and why.
    public var metadata: EventMetadata
    /// The encoded payload; the store does not interpret it.
    public var payload: Data

    /// Creates a proposed event; `eventID` defaults to a fresh time-ordered (version 7) UUID.
    public init(eventID: UUID = .timeOrdered(), type: String, schemaVersion: UInt16 = 1, metadata: EventMetadata = .init(), payload: Data) {
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.metadata = metadata
        self.payload = payload
    }
}

/// The events to append to one stream, with the version the caller expects that stream to be at.
public struct StreamAppend: Sendable, Hashable {
    /// The stream, e.g. `node/1be26c0b-03f2-4d2e-ae87-c02d7f33c123`.
    public var streamID: String
    /// Optimistic concurrency: what the stream's current version must be for the append to happen.
    public var expectedVersion: ExpectedVersion
    /// The events, in order; they get consecutive stream versions and global positions.
    public var events: [ProposedEvent]

    /// Creates a stream append.
    public init(streamID: String, expectedVersion: ExpectedVersion = .any, events: [ProposedEvent]) {
        self.streamID = streamID
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// What a stream's version must be for an append to it to go ahead.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No check: append whatever the stream's version.
    case any
    /// The stream must not exist yet (version 0).
    case noStream
    /// The stream must exist and be exactly at this version.
    case exact(UInt64)

    /// Whether a stream at `current` (0 when it does not exist) satisfies this expectation.
    public func isSatisfied(by current: UInt64) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .exact(let version): version == current && version > 0
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exact(let version): "version \(version)"
        }
    }
}
