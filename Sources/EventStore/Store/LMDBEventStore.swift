import CLMDB
import Foundation
import Synchronization

/// The embedded event store: one LMDB environment per data directory, one writer thread that
/// group-commits every waiting append, and lock-free MVCC reads.
///
/// ```swift
/// let store = try LMDBEventStore(directory: "./data")
/// let result = try await store.append(to: "node/\(uuid)", expected: .noStream, [enrolled])
/// for try await event in store.subscribe(from: 1) { … }
/// ```
///
/// One process owns a data directory for writing; other processes may open it read-only
/// (``StoreOptions/readOnly``) to query it while the owner runs.
public final class LMDBEventStore: EventLog, @unchecked Sendable {
    /// The data directory.
    public let directory: String
    /// The settings the store was opened with.
    public let options: StoreOptions

    let environment: Environment
    let tables: StoreTables
    private let writerLock: WriterLock?
    private let writer: CommitWriter?
    private let headWatch: HeadWatch
    private let inlineProjections = InlineProjectionRegistry()
    private let openedDatabases = Mutex<[String: Database]>([:])
    private let statisticsRecorder = WriterStatisticsRecorder()

    /// Opens the store in `directory`, creating the directory and an empty log if there is none.
    ///
    /// Throws ``EventStoreError/notAStore(directory:reason:)`` for a directory whose files are not
    /// an Ironlog store and ``EventStoreError/unsupportedFormat(directory:found:supported:)`` for a
    /// store of another format; in both cases nothing is written.
    public init(directory: String, options: StoreOptions = StoreOptions()) throws {
        self.directory = directory
        self.options = options
        try Self.prepare(directory: directory, readOnly: options.readOnly)
        writerLock = options.readOnly ? nil : try WriterLock(directory: directory)
        do {
            environment = try Environment(
                directory: directory, mapSize: options.initialMapSize, maxDatabases: 128, maxReaders: 1022,
                sync: options.durability == .durable ? .dataEveryCommitMetaLater : .never, readOnly: options.readOnly
            )
        } catch {
            throw Self.openError(error, directory: directory)
        }
        let head: LogHead
        do {
            tables = try Self.bootstrap(environment, directory: directory, readOnly: options.readOnly)
            head = try Self.checkedHead(environment, tables: tables, directory: directory)
        } catch {
            throw Self.openError(error, directory: directory)
        }
        headWatch = HeadWatch(head: head)
        if options.readOnly {
            writer = nil
        } else {
            let pipeline = CommitPipeline(
                environment: environment, tables: tables, options: options, head: head,
                projections: { [inlineProjections] in inlineProjections.all },
                statistics: statisticsRecorder, headWatch: headWatch
            )
            writer = CommitWriter(name: "ironlog-writer", process: { pipeline.process($0) }, idle: { pipeline.flush() })
        }
    }

    deinit { writer?.stop() }

    /// Finishes queued writes (making them durable), then refuses new ones, gives the data
    /// directory up for another writer, and ends every subscription. Reads keep working; the
    /// environment itself closes when the last reference to the store goes.
    public func close() {
        writer?.stop()
        inlineProjections.removeAll()
        writerLock?.release()
        headWatch.close()
    }

    // MARK: Appending

    public func append(_ appends: [StreamAppend], condition: (any AppendCondition)?) async throws -> AppendResult {
        guard let writer else { throw EventStoreError.readOnly }
        let eventCount = try AppendValidation.validate(appends, maxEventBytes: options.maxEventBytes)
        return try await withCheckedThrowingContinuation { continuation in
            do {
                try writer.enqueue(.append(PendingAppend(appends: appends, condition: condition, eventCount: eventCount, continuation: continuation)))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Registers a projection that is updated inside every commit, before appends are acknowledged.
    /// Register before the first append that it must see.
    public func register(inline projection: any InlineProjection) {
        inlineProjections.add(projection)
    }

    /// Runs `body` in a write transaction of its own on the writer thread and commits it — how a
    /// catch-up projection stores its rows and its checkpoint together.
    public func write<T: Sendable>(_ body: @escaping @Sendable (WriteTransaction) throws -> T) async throws -> T {
        guard let writer else { throw EventStoreError.readOnly }
        return try await withCheckedThrowingContinuation { continuation in
            let result = Mutex<T?>(nil)
            let job = TransactionJob(
                run: { txn in
                    let value = try body(txn)
                    result.withLock { $0 = value }
                },
                finish: { error in
                    if let error { continuation.resume(throwing: error) }
                    else { continuation.resume(returning: result.withLock { $0! }) }
                }
            )
            do { try writer.enqueue(.transaction(job)) } catch { continuation.resume(throwing: error) }
        }
    }

    /// Opens a consumer's own sub-database, creating it on first use.
    public func openDatabase(named name: String) async throws -> Database {
        guard !Layout.reserved.contains(name) else {
            throw EventStoreError.reservedDatabaseName(name)
        }
        if let known = openedDatabases.withLock({ $0[name] }) { return known }
        let environment = self.environment
        let database: Database
        if options.readOnly {
            database = try environment.read(keepingHandles: true) { txn in
                guard let database = try environment.openDatabase(named: name, in: txn.txn, create: false) else {
                    throw EventStoreError.notAStore(directory: directory, reason: "it has no database named \(name)")
                }
                return database
            }
        } else {
            database = try await write { txn in try environment.openDatabase(named: name, in: txn.txn, create: true)! }
        }
        openedDatabases.withLock { $0[name] = database }
        return database
    }

    /// The position a consumer has processed up to; 0 if it has never saved one.
    public func checkpoint(named name: String) throws -> UInt64 {
        try read { txn in
            try txn.withValue(forKey: Array(name.utf8), in: tables.checkpoints) { $0.flatMap(PositionKey.decode) } ?? 0
        }
    }

    /// A consumer's checkpoint as `transaction` sees it; 0 if it has never saved one.
    public func checkpoint(named name: String, in transaction: WriteTransaction) throws -> UInt64 {
        try checkpoint(named: name, in: transaction.reader)
    }

    /// A consumer's checkpoint as the read `transaction` sees it; 0 if it has never saved one.
    public func checkpoint(named name: String, in transaction: ReadTransaction) throws -> UInt64 {
        try transaction.withValue(forKey: Array(name.utf8), in: tables.checkpoints) { $0.flatMap(PositionKey.decode) } ?? 0
    }

    /// Forgets a consumer's checkpoint, inside `transaction` (a rebuild starts it from zero).
    public func removeCheckpoint(named name: String, in transaction: WriteTransaction) throws {
        try transaction.delete(Array(name.utf8), in: tables.checkpoints)
    }

    /// Saves a consumer's checkpoint inside `transaction`, together with whatever it wrote there.
    public func saveCheckpoint(named name: String, position: UInt64, in transaction: WriteTransaction) throws {
        try transaction.put(PositionKey.encode(position), forKey: Array(name.utf8), in: tables.checkpoints)
    }

    /// Group-commit figures since the store opened (or since ``resetStatistics()``).
    public var statistics: WriterStatistics { statisticsRecorder.snapshot }

    /// Calls `observer` after every later commit that wrote events, with its ``CommitReport``.
    ///
    /// The observer runs on the writer thread between commits: it must be quick and must not
    /// append (recording a metric is the intended use). Observers stay for the store's life.
    public func observeCommits(_ observer: @escaping @Sendable (CommitReport) -> Void) {
        statisticsRecorder.observe(observer)
    }

    /// Forgets the figures gathered so far.
    public func resetStatistics() { statisticsRecorder.reset() }

    /// The head as of the last sync: every event up to it survives a crash.
    public var durableHead: LogHead { headWatch.head }

    /// The current size of the memory map; it grows on demand.
    public var mapSize: Int { environment.mapSize }

    // MARK: Waiting

    public func waitForHead(atLeast position: UInt64) async throws -> UInt64? {
        guard options.readOnly else { return try await headWatch.wait(atLeast: position) }
        // Another process writes: nothing here is told when, so look every 100 ms.
        while true {
            let head = try currentHead().position
            if head >= position { return head }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
