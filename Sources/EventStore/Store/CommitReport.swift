/// What one commit of the writer did: how many appends and events it made durable-bound, and how
/// long its transaction took from the first staged append to LMDB's commit.
///
/// Observers (``LMDBEventStore/observeCommits(_:)``) receive one report per commit that wrote at
/// least one event; the server turns them into the batch-size and commit-latency series of
/// `GET /metrics`.
public struct CommitReport: Sendable, Hashable {
    /// Appends (requests) the commit carried.
    public var appends: Int
    /// Events the commit wrote.
    public var events: Int
    /// The transaction's duration: staging, inline projections and LMDB's commit (its data sync
    /// included for a durable store).
    public var duration: Duration

    /// Creates a report.
    public init(appends: Int, events: Int, duration: Duration) {
        self.appends = appends
        self.events = events
        self.duration = duration
    }
}
