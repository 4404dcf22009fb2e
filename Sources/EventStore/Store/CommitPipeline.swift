import CLMDB
import Foundation

/// What the writer thread does with a batch of jobs: stage every waiting append into one
/// transaction, run inline projections, commit once, then acknowledge once it is durable.
///
/// Each append is validated against the transaction (which sees the appends staged before it)
/// before anything of it is written, so a refused append leaves no trace while the others commit.
///
/// Durability is pipelined. A durable store syncs each commit's data pages but not its meta page
/// (`MDB_NOMETASYNC`); the meta page of commit N reaches the disk with the data sync of commit
/// N+1, or with an explicit sync as soon as no more work is waiting. So the outcomes of a commit
/// are held back until the next sync: under load every commit costs one fsync instead of two,
/// while an acknowledged append is exactly as durable as with LMDB's default. Only the writer
/// thread touches an instance.
final class CommitPipeline {
    /// An outcome waiting for the sync that makes its commit durable.
    private struct HeldOutcome {
        let deliver: () -> Void
        let fail: (any Error) -> Void
    }

    private let environment: Environment
    private let tables: StoreTables
    private let options: StoreOptions
    private let projections: @Sendable () -> [any InlineProjection]
    private let statistics: WriterStatisticsRecorder
    private let headWatch: HeadWatch
    /// Durable stores hold outcomes back until a sync; no-sync stores deliver at once.
    private let holdsOutcomes: Bool
    private(set) var head: LogHead
    private var held: [HeldOutcome] = []
    private var heldHead: LogHead?
    /// Committed stream tips the writer has seen: the writer is the only one who changes them, so
    /// a cached tip is exact. Cleared when it grows past ``tipCacheLimit``.
    private var tipCache: [String: StreamTip] = [:]
    private let tipCacheLimit = 250_000

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
        self.holdsOutcomes = options.durability == .durable
    }

    /// Whether outcomes are waiting for a sync.
    var isHoldingOutcomes: Bool { !held.isEmpty }

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

    /// Syncs everything committed so far and delivers the outcomes held back for it. The writer
    /// calls this as soon as no more work is waiting.
    func flush() {
        guard !held.isEmpty else { return }
        do {
            try environment.sync()
            deliverHeld()
        } catch {
            // Committed, but not known to be on disk: each waiter learns that its append may not
            // survive a crash, rather than a promise that might not hold.
            let failed = held
            held.removeAll()
            heldHead = nil
            for outcome in failed { outcome.fail(error) }
        }
    }

    private func deliverHeld() {
        let outcomes = held
        held.removeAll(keepingCapacity: true)
        if let heldHead { headWatch.advance(to: heldHead) }
        heldHead = nil
        for outcome in outcomes { outcome.deliver() }
    }

    /// Records outcomes of a commit: delivered now without durability, held otherwise.
    private func settle(_ outcomes: [HeldOutcome], head newHead: LogHead?) {
        if holdsOutcomes {
            held += outcomes
            if let newHead { heldHead = newHead }
        } else {
            if let newHead { headWatch.advance(to: newHead) }
            for outcome in outcomes { outcome.deliver() }
        }
    }

    private func run(_ job: TransactionJob) {
        do {
            try environment.write { txn in try job.run(txn) }
            settle([HeldOutcome(deliver: { job.finish(nil) }, fail: { job.finish($0) })], head: nil)
        } catch {
            job.finish(error)
        }
    }

    /// Commits a group of appends in one transaction. If the transaction itself fails, each append
    /// is retried alone so that one bad append cannot fail its neighbours.
    private func commit(_ group: [PendingAppend]) {
        let clock = options.clock()
        let projections = self.projections()
        let started = ContinuousClock.now
        do {
            let (staging, outcomes) = try environment.write { txn in
                var staging = Staging(head: head, time: max(clock, head.recordedAtMicroseconds), keepsEvents: !projections.isEmpty)
                let outcomes = try group.map { pending in
                    let outcome = try stage(pending, in: txn, into: &staging)
                    if !staging.recorded.isEmpty {
                        for projection in projections { try projection.apply(staging.recorded, in: txn) }
                        staging.recorded.removeAll(keepingCapacity: true)
                    }
                    return outcome
                }
                for (streamID, tip) in staging.tips {
                    try txn.put(tip.encoded, forKey: Layout.streamKey(streamID), in: tables.streams, flags: 0)
                }
                return (staging, outcomes)
            }
            head = staging.head
            if tipCache.count + staging.tips.count > tipCacheLimit { tipCache.removeAll(keepingCapacity: true) }
            tipCache.merge(staging.tips) { _, staged in staged }
            if staging.written > 0 {
                statistics.record(CommitReport(appends: group.count, events: staging.written, duration: ContinuousClock.now - started))
                // This commit's data sync also carried the previous commit's meta page to disk.
                if holdsOutcomes { deliverHeld() }
            }
            let held = zip(group, outcomes).map { pending, outcome in
                HeldOutcome(deliver: { pending.continuation.resume(with: outcome) }, fail: { pending.continuation.resume(throwing: $0) })
            }
            settle(held, head: staging.written > 0 ? staging.head : nil)
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
        var tips: [String: StreamTip] = [:]
        var recorded: [RecordedEvent] = []
        var written = 0
    }

    /// A stream's tip as this commit sees it: staged, cached, or read from the index.
    private func tip(of streamID: String, in txn: ReadTransaction, staging: Staging) throws -> StreamTip {
        if let staged = staging.tips[streamID] { return staged }
        if let cached = tipCache[streamID] { return cached }
        let stored = try tables.tip(ofStream: streamID, in: txn)
        if tipCache.count < tipCacheLimit { tipCache[streamID] = stored }
        return stored
    }

    /// Validates one append against `txn` and, if it passes, writes its envelopes and indexes.
    /// Refusals come back as a failed result; only storage failures throw.
    private func stage(_ pending: PendingAppend, in txn: WriteTransaction, into staging: inout Staging) throws -> Result<AppendResult, any Error> {
        let appends = pending.appends
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
        // The caller's own rule, with everything before this append in view.
        if let condition = pending.condition {
            do { try condition.check(reader) } catch let error as EventStoreError where error.lmdbCode != nil {
                throw error // storage trouble (a full map): the whole commit retries
            } catch {
                return .failure(error)
            }
        }
        // Optimistic concurrency, checked for every stream before anything is written.
        var currentTips: [StreamTip] = []
        for append in appends {
            let current = try tip(of: append.streamID, in: reader, staging: staging)
            guard append.expectedVersion.isSatisfied(by: current.version) else {
                return .failure(EventStoreError.wrongExpectedVersion(streamID: append.streamID, expected: append.expectedVersion, actual: current.version))
            }
            currentTips.append(current)
        }
        var positions: [UInt64] = []
        var versions: [String: UInt64] = [:]
        let time = staging.time
        for (append, current) in zip(appends, currentTips) {
            var tip = current
            for event in append.events {
                let version = tip.version + 1
                let position = staging.head.position + 1
                var stored = EnvelopeCodec.canonicalBytes(
                    position: position, streamID: append.streamID, streamVersion: version, previousInStream: tip.position,
                    event: event, recordedAt: time
                )
                let hash = stored.withUnsafeBytes { EnvelopeHash.chaining(staging.head.hash, $0) }
                hash.withUnsafeBytes { stored.append(contentsOf: $0) }
                try withUnsafeBytes(of: position.bigEndian) { positionKey in
                    try stored.withUnsafeBytes { try txn.put($0, forKey: positionKey, in: tables.log, flags: UInt32(MDB_APPEND)) }
                    if version % Layout.markInterval == 0 {
                        try Layout.markKey(append.streamID, version: version).withUnsafeBytes {
                            try txn.put(positionKey, forKey: $0, in: tables.marks, flags: 0)
                        }
                    }
                    try withUnsafeBytes(of: event.eventID.uuid) { try txn.put(positionKey, forKey: $0, in: tables.ids, flags: 0) }
                }
                staging.head = LogHead(position: position, hash: hash, recordedAtMicroseconds: time)
                staging.written += 1
                positions.append(position)
                if staging.keepsEvents {
                    staging.recorded.append(RecordedEvent(
                        position: position, streamID: append.streamID, streamVersion: version,
                        previousPositionInStream: tip.position, eventID: event.eventID,
                        type: event.type, schemaVersion: event.schemaVersion, recordedAtMicroseconds: time,
                        metadata: event.metadata, payload: event.payload, hash: hash
                    ))
                }
                tip = StreamTip(version: version, position: position)
            }
            versions[append.streamID] = tip.version
            staging.tips[append.streamID] = tip
        }
        return .success(AppendResult(positions: positions, streamVersions: versions, deduplicated: false))
    }
}
