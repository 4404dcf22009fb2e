import CLMDB
import Foundation

/// What the writer thread does with a batch of jobs: stage every waiting append into one
/// transaction, run inline projections, commit once, then acknowledge.
///
/// Each append is validated against the transaction (which sees the appends staged before it)
/// before anything of it is written, so a refused append leaves no trace while the others commit.
/// Only the writer thread touches an instance.
final class CommitPipeline {
    private let environment: Environment
    private let tables: StoreTables
    private let options: StoreOptions
    private let projections: @Sendable () -> [any InlineProjection]
    private let statistics: WriterStatisticsRecorder
    private let headWatch: HeadWatch
    private(set) var head: LogHead
    /// Committed stream versions the writer has seen: the writer is the only one who changes
    /// them, so a cached value is exact. Cleared when it grows past ``versionCacheLimit``.
    private var versionCache: [String: UInt64] = [:]
    private let versionCacheLimit = 250_000

    init(
        environment: Environment, tables: StoreTables, options: StoreOptions, head: LogHead,
        projections: @escaping @Sendable () -> [any InlineProjection],
        statistics: WriterStatisticsRecorder, headWatch: HeadWatch
    ) {
        self.environment = environment
        self.tables = tables
        self.options = options
        self.head = head
        self.projections = projections
        self.statistics = statistics
        self.headWatch = headWatch
    }

    func process(_ jobs: [WriterJob]) {
        var group: [PendingAppend] = []
        var groupEvents = 0
        for job in jobs {
            switch job {
            case .append(let pending):
                if groupEvents > 0 && groupEvents + pending.eventCount > options.maxEventsPerCommit {
                    commit(group)
                    group.removeAll(keepingCapacity: true)
                    groupEvents = 0
                }
                group.append(pending)
                groupEvents += pending.eventCount
            case .transaction(let work):
                if !group.isEmpty {
                    commit(group)
                    group.removeAll(keepingCapacity: true)
                    groupEvents = 0
                }
                run(work)
            }
        }
        if !group.isEmpty { commit(group) }
    }

    private func run(_ job: TransactionJob) {
        do {
            try environment.write { txn in try job.run(txn) }
            job.finish(nil)
        } catch {
            job.finish(error)
        }
    }

    /// Commits a group of appends in one transaction. If the transaction itself fails, each append
    /// is retried alone so that one bad append cannot fail its neighbours.
    private func commit(_ group: [PendingAppend]) {
        let clock = options.clock()
        let projections = self.projections()
        do {
            let (staging, outcomes) = try environment.write { txn in
                var staging = Staging(head: head, time: max(clock, head.recordedAtMicroseconds), keepsEvents: !projections.isEmpty)
                let outcomes = try group.map { pending in try stage(pending.appends, in: txn, into: &staging) }
                if staging.written > 0 {
                    for projection in projections { try projection.apply(staging.recorded, in: txn) }
                    try txn.put(staging.head.encoded, forKey: Layout.headKey, in: tables.meta, flags: 0)
                }
                return (staging, outcomes)
            }
            head = staging.head
            if versionCache.count + staging.versions.count > versionCacheLimit { versionCache.removeAll(keepingCapacity: true) }
            versionCache.merge(staging.versions) { _, staged in staged }
            if staging.written > 0 {
                statistics.record(batch: staging.written)
                headWatch.advance(to: staging.head.position)
            }
            for (pending, outcome) in zip(group, outcomes) { pending.continuation.resume(with: outcome) }
        } catch {
            if group.count > 1 {
                for pending in group { commit([pending]) }
            } else {
                for pending in group { pending.continuation.resume(throwing: error) }
            }
        }
    }

    /// What one commit has staged so far.
    private struct Staging {
        var head: LogHead
        let time: Int64
        let keepsEvents: Bool
        var versions: [String: UInt64] = [:]
        var recorded: [RecordedEvent] = []
        var written = 0
    }

    /// A stream's version as this commit sees it: staged, cached, or read from the index.
    private func version(of streamID: String, in txn: ReadTransaction, staging: Staging) throws -> UInt64 {
        if let staged = staging.versions[streamID] { return staged }
        if let cached = versionCache[streamID] { return cached }
        let stored = try tables.version(ofStream: streamID, in: txn)
        if versionCache.count < versionCacheLimit { versionCache[streamID] = stored }
        return stored
    }

    /// Validates one append against `txn` and, if it passes, writes its envelopes and indexes.
    /// Refusals come back as a failed result; only storage failures throw.
    private func stage(_ appends: [StreamAppend], in txn: WriteTransaction, into staging: inout Staging) throws -> Result<AppendResult, any Error> {
        let reader = txn.reader
        // Idempotency: all ids known → the original result; some known → a changed retry.
        var knownPositions: [UInt64] = []
        var firstKnown: UUID?
        var total = 0
        for append in appends {
            for event in append.events {
                total += 1
                if let position = try tables.position(ofEvent: event.eventID, in: reader) {
                    knownPositions.append(position)
                    firstKnown = firstKnown ?? event.eventID
                }
            }
        }
        if let firstKnown {
            guard knownPositions.count == total else {
                return .failure(EventStoreError.partialDuplicate(knownEventID: firstKnown))
            }
            var versions: [String: UInt64] = [:]
            for position in knownPositions {
                if let event = try tables.event(at: position, in: reader) {
                    versions[event.streamID] = max(versions[event.streamID] ?? 0, event.streamVersion)
                }
            }
            return .success(AppendResult(positions: knownPositions, streamVersions: versions, deduplicated: true))
        }
        // Optimistic concurrency, checked for every stream before anything is written.
        var currentVersions: [UInt64] = []
        for append in appends {
            let current = try version(of: append.streamID, in: reader, staging: staging)
            guard append.expectedVersion.isSatisfied(by: current) else {
                return .failure(EventStoreError.wrongExpectedVersion(streamID: append.streamID, expected: append.expectedVersion, actual: current))
            }
            currentVersions.append(current)
        }
        var positions: [UInt64] = []
        var versions: [String: UInt64] = [:]
        let time = staging.time
        for (append, current) in zip(appends, currentVersions) {
            var version = current
            for event in append.events {
                version += 1
                let position = staging.head.position + 1
                var stored = EnvelopeCodec.canonicalBytes(
                    position: position, streamID: append.streamID, streamVersion: version, event: event, recordedAt: time
                )
                let hash = stored.withUnsafeBytes { EnvelopeHash.chaining(staging.head.hash, $0) }
                hash.withUnsafeBytes { stored.append(contentsOf: $0) }
                try withUnsafeBytes(of: position.bigEndian) { positionKey in
                    try stored.withUnsafeBytes { try txn.put($0, forKey: positionKey, in: tables.log, flags: UInt32(MDB_APPEND)) }
                    try Layout.streamKey(append.streamID, version: version).withUnsafeBytes {
                        try txn.put(positionKey, forKey: $0, in: tables.streams, flags: 0)
                    }
                    try withUnsafeBytes(of: event.eventID.uuid) { try txn.put(positionKey, forKey: $0, in: tables.ids, flags: 0) }
                }
                staging.head = LogHead(position: position, hash: hash, recordedAtMicroseconds: time)
                staging.written += 1
                positions.append(position)
                if staging.keepsEvents {
                    staging.recorded.append(RecordedEvent(
                        position: position, streamID: append.streamID, streamVersion: version, eventID: event.eventID,
                        type: event.type, schemaVersion: event.schemaVersion, recordedAtMicroseconds: time,
                        metadata: event.metadata, payload: event.payload, hash: hash
                    ))
                }
            }
            versions[append.streamID] = version
            staging.versions[append.streamID] = version
        }
        return .success(AppendResult(positions: positions, streamVersions: versions, deduplicated: false))
    }
}
