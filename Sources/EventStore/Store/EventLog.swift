import Foundation

/// The log every other module talks to: append with optimistic concurrency, read by position or
/// stream, and wait for new events.
///
/// ``LMDBEventStore`` is the embedded implementation. The protocol is deliberately small so that a
/// second backend (a log shared by several Ironlog instances) can stand behind it unchanged.
public protocol EventLog: Sendable {
    /// Appends events to one or more streams atomically: all of them or none.
    ///
    /// Returns only once the events are durable (under ``Durability/durable``). Throws
    /// ``EventStoreError/wrongExpectedVersion(streamID:expected:actual:)`` when a stream is not at
    /// the expected version. Re-sending an append whose event ids were all written before returns
    /// the original positions with ``AppendResult/deduplicated`` set, and writes nothing.
    func append(_ appends: [StreamAppend]) async throws -> AppendResult

    /// Appends as ``append(_:)`` does, once `condition` — checked by the writer inside the
    /// transaction, just before the append — lets it.
    func append(_ appends: [StreamAppend], condition: (any AppendCondition)?) async throws -> AppendResult

    /// Up to `limit` envelopes with positions ≥ `position`, in order.
    func read(from position: UInt64, limit: Int) async throws -> [RecordedEvent]

    /// Up to `limit` envelopes of one stream, starting at `version` and going in `direction`.
    func readStream(_ streamID: String, from version: UInt64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent]

    /// The stream's current version; 0 if it has no events.
    func streamVersion(_ streamID: String) async throws -> UInt64

    /// The last durable envelope's position and hash.
    func head() async throws -> LogHead

    /// Suspends until the durable head is at least `position` and returns it; returns `nil` if the
    /// log closed first.
    func waitForHead(atLeast position: UInt64) async throws -> UInt64?
}

/// Which way to read a stream.
public enum ReadDirection: Sendable, Hashable {
    /// Oldest first.
    case forward
    /// Newest first.
    case backward
}

/// What an append did.
public struct AppendResult: Sendable, Hashable {
    /// The global position of each event, in the order the append listed them.
    public var positions: [UInt64]
    /// Each stream's version after the append.
    public var streamVersions: [String: UInt64]
    /// `true` when every event id had been appended before and nothing was written.
    public var deduplicated: Bool

    /// Creates a result.
    public init(positions: [UInt64], streamVersions: [String: UInt64], deduplicated: Bool) {
        self.positions = positions
        self.streamVersions = streamVersions
        self.deduplicated = deduplicated
    }
}

extension EventLog {
    public func append(_ appends: [StreamAppend]) async throws -> AppendResult {
        try await append(appends, condition: nil)
    }

    /// Appends events to a single stream.
    public func append(to streamID: String, expected: ExpectedVersion = .any, _ events: [ProposedEvent]) async throws -> AppendResult {
        try await append([StreamAppend(streamID: streamID, expectedVersion: expected, events: events)])
    }

    /// Every event from `position` on: first those already in the log, then each new one as it is
    /// appended — each exactly once and in order, however appends race with the hand-over.
    public func subscribe(from position: UInt64 = 1, batchSize: Int = 1024) -> EventSubscription {
        EventSubscription(log: self, from: position, batchSize: batchSize)
    }
}
