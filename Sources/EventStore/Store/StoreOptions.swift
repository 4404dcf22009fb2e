import Foundation

/// How durable an acknowledged append is.
public enum Durability: Sendable, Hashable {
    /// Every commit is fsynced before any append in it is acknowledged. The only mode for real data.
    case durable
    /// Commits are not fsynced: an OS crash or power loss can lose acknowledged appends (a killed
    /// process cannot). For tests and benchmarks only.
    case noSyncForTestsAndBenchmarksOnly
}

/// Settings of an ``LMDBEventStore``; the defaults suit a production data directory.
public struct StoreOptions: Sendable {
    /// The initial size of the memory map. It is address space, not disk; the store grows it when
    /// it fills. Default 4 GiB.
    public var initialMapSize: Int = 4 << 30
    /// Durability of acknowledged appends.
    public var durability: Durability = .durable
    /// The largest envelope accepted, in bytes. Default 4 MiB.
    public var maxEventBytes: Int = 4 << 20
    /// The most events one group commit carries; more waiting appends go in the next commit.
    public var maxEventsPerCommit: Int = 16_384
    /// Open without the ability to write (for reading a live data directory from another process).
    public var readOnly = false
    /// The clock that stamps envelopes, in microseconds since 1970. Tests replace it.
    public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    /// The production defaults.
    public init() {}

    /// The defaults with some fields changed.
    public init(initialMapSize: Int? = nil, durability: Durability = .durable, readOnly: Bool = false) {
        if let initialMapSize { self.initialMapSize = initialMapSize }
        self.durability = durability
        self.readOnly = readOnly
    }
}
