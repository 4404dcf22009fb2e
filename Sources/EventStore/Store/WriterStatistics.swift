import Synchronization

/// What the writer has done: how many commits, and how many events each carried.
///
/// The batch sizes show how well group commit is working: under load each durable commit should
/// carry many appends. The benchmark uses the median to size its raw-LMDB comparison.
public struct WriterStatistics: Sendable, Hashable {
    /// Commits that carried at least one event.
    public var commits: Int
    /// Events committed.
    public var events: Int
    /// Events per commit of the most recent commits (at most 65,536 kept), oldest first.
    public var recentBatchSizes: [Int]

    /// The median of ``recentBatchSizes``; 0 when nothing was committed.
    public var medianBatchSize: Int {
        guard !recentBatchSizes.isEmpty else { return 0 }
        return recentBatchSizes.sorted()[recentBatchSizes.count / 2]
    }
}

/// Thread-safe accumulator of ``WriterStatistics``.
final class WriterStatisticsRecorder: Sendable {
    private static let kept = 65_536
    private let state = Mutex(WriterStatistics(commits: 0, events: 0, recentBatchSizes: []))
    private let observers = Mutex<[@Sendable (CommitReport) -> Void]>([])

    /// Calls `observer` with every later commit's report, on the writer thread.
    func observe(_ observer: @escaping @Sendable (CommitReport) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func record(_ report: CommitReport) {
        record(batch: report.events)
        for observer in observers.withLock({ $0 }) { observer(report) }
    }

    func record(batch events: Int) {
        state.withLock { stats in
            stats.commits += 1
            stats.events += events
            if stats.recentBatchSizes.count == Self.kept { stats.recentBatchSizes.removeFirst(Self.kept / 2) }
            stats.recentBatchSizes.append(events)
        }
    }

    func reset() {
        state.withLock { $0 = WriterStatistics(commits: 0, events: 0, recentBatchSizes: []) }
    }

    var snapshot: WriterStatistics { state.withLock { $0 } }
}
