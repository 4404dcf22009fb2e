import Crypto
import Domain
import EventStore
import Foundation

/// Throws every projection away and folds the whole log into them again.
///
/// Projections are a cache of the log: a rebuild must give byte-identical state, which the digest
/// proves. Run it with the server stopped (the store's writer lock makes sure of that).
public enum ProjectionRebuild {
    /// Clears every projection and its checkpoint, folds the log from position 1 in memory, writes
    /// the result in key order, and returns the digest of the rebuilt state.
    ///
    /// The live projections fold the same events with the same `evolve` and derive the same index
    /// entries, so the two paths agree byte for byte — which the digest shows.
    @discardableResult
    public static func run(_ projections: ProjectionSet, progress: ((UInt64, UInt64) -> Void)? = nil) async throws -> String {
        let store = projections.store
        try await store.write { txn in
            for database in projections.databases { try txn.clear(database) }
            for name in ProjectionSet.checkpoints { try store.removeCheckpoint(named: name, in: txn) }
        }
        var fold = FleetFold()
        let head = try store.currentHead().position
        // Read and decode the next batch while this one folds: decoding is parallel, folding is
        // not, so overlapping them keeps both cores busy.
        @Sendable func load(_ from: UInt64) throws -> FleetFold.Batch {
            let events = try store.events(from: from, limit: 65_536)
            return FleetFold.Batch(events: events, decoded: FleetFold.decode(events))
        }
        var upcoming: Task<FleetFold.Batch, any Error>? = head > 0 ? Task.detached { try load(1) } : nil
        while let loading = upcoming {
            let batch = try await loading.value
            guard let last = batch.events.last else { break }
            upcoming = last.position < head ? Task.detached { try load(last.position + 1) } : nil
            fold.add(batch)
            progress?(last.position, head)
        }
        try await fold.write(into: projections, head: head)
        return try ProjectionDigest.compute(projections)
    }
}

/// The whole log folded in memory: every node's aggregate and every history index entry, ready
/// to be written in key order.
struct FleetFold {
    /// Every node seen, by the order it was first seen; `slot` finds a node's place.
    private var slots: [UUID: Int] = [:]
    private var nodes: [NodeAggregate?] = []
    private var uuids: [UUID] = []
    /// History entries of the string-keyed dimensions.
    private var columns: [HistoryIndex.Dimension: HistoryColumn] = [.type: .init(), .actor: .init(), .project: .init(), .request: .init()]

    /// Every node's final state.
    var aggregates: [UUID: NodeAggregate] {
        var result: [UUID: NodeAggregate] = [:]
        for (uuid, aggregate) in zip(uuids, nodes) { result[uuid] = aggregate }
        return result
    }

    /// History positions by dimension and value.
    var history: [HistoryIndex.Dimension: [String: [UInt64]]] { columns.mapValues(\.byValue) }

    /// Envelopes read from the log with their payloads decoded.
    struct Batch: Sendable {
        let events: [RecordedEvent]
        let decoded: [NodeEvent?]
    }

    /// Folds a batch in log order.
    mutating func add(_ batch: Batch) {
        for index in batch.events.indices {
            let recorded = batch.events[index]
            let position = recorded.position
            columns[.type]!.add(recorded.type, position)
            if let actor = recorded.metadata.actor { columns[.actor]!.add(actor, position) }
            if let project = recorded.metadata.project { columns[.project]!.add(project, position) }
            if let request = recorded.metadata.requestID { columns[.request]!.add(request, position) }
            guard let uuid = NodeStream.node(of: recorded.streamID), let event = batch.decoded[index] else { continue }
            let slot = slot(of: uuid)
            // Taken out of its slot and put back: evolve owns it and mutates it in place.
            var after = NodeEvolution.evolve(nodes[slot].take(), event, at: recorded.recordedAtMicroseconds)
            after?.version = recorded.streamVersion
            nodes[slot] = consume after
        }
    }

    private mutating func slot(of uuid: UUID) -> Int {
        if let known = slots[uuid] { return known }
        let slot = nodes.count
        slots[uuid] = slot
        nodes.append(nil)
        uuids.append(uuid)
        return slot
    }

    /// Decodes the node events of a batch on every core.
    static func decode(_ batch: [RecordedEvent]) -> [NodeEvent?] {
        let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let slices = (0..<workers).map { worker in
            Array(batch.indices).filter { $0 % workers == worker }
        }
        let results = DecodedSlots(count: batch.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in slices[worker] where NodeStream.node(of: batch[index].streamID) != nil {
                results.set(index, try? NodeEvent.decode(payload: batch[index].payload))
            }
        }
        return results.values
    }

    /// Writes everything in key order (bulk appends), with every checkpoint at `head`.
    func write(into projections: ProjectionSet, head: UInt64) async throws {
        let store = projections.store
        let tables = projections.nodes.tables
        let live = Array(aggregates.values.filter { !$0.deleted })
        // Encoding is most of this step's work, and each node's is independent: use every core.
        let encoded = EncodedNodes(count: live.count)
        let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: live.count, by: workers) {
                encoded.set(index, (try? NodeStore.encode(live[index])) ?? [], NodeIndexes.entries(of: live[index]))
            }
        }
        var rows: [(key: [UInt8], value: [UInt8])] = []
        var indexes = NodeIndexes.Entries()
        for (index, aggregate) in live.enumerated() {
            let (row, entries) = encoded.get(index)
            rows.append((NodeTables.key(aggregate.uuid), row))
            indexes.merge(entries)
        }
        let sortedRows = rows.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let sortedIndexes = indexes.tables(tables).map { entries, database in
            (entries.sorted { $0.key.lexicographicallyPrecedes($1.key) }, database)
        }
        try await store.write { txn in
            for row in sortedRows { try txn.append(row.value, forKey: row.key, in: tables.nodes) }
            for (entries, database) in sortedIndexes {
                for (key, value) in entries { try txn.append(value, forKey: key, in: database) }
            }
            try store.saveCheckpoint(named: NodeStateProjection.checkpointName, position: head, in: txn)
        }
        let histories = history
        for dimension in HistoryIndex.Dimension.allCases {
            guard let database = projections.history.databases[dimension], let values = histories[dimension] else { continue }
            // Keys in byte order, each value's positions already ascending: pure appends, written
            // in transactions of a bounded number of keys.
            let runs = values.map { (Array($0.key.utf8) + [0], $0.value.sorted()) }
                .sorted { $0.0.lexicographicallyPrecedes($1.0) }
            var start = 0
            while start < runs.count {
                var end = start, keys = 0
                while end < runs.count, keys < 250_000 { keys += runs[end].1.count; end += 1 }
                let chunk = runs[start..<end]
                try await store.write { txn in
                    for (prefix, positions) in chunk {
                        var key = prefix + [UInt8](repeating: 0, count: 8)
                        for position in positions {
                            withUnsafeBytes(of: position.bigEndian) { key.replaceSubrange(prefix.count..., with: $0) }
                            try txn.append([], forKey: key, in: database)
                        }
                    }
                }
                start = end
            }
        }
        try await store.write { txn in try store.saveCheckpoint(named: HistoryIndex.checkpointName, position: head, in: txn) }
    }
}

/// A SHA-256 over every projection database's keys and values, in order: two data directories
/// with the same digest hold the same projection state, byte for byte.
public enum ProjectionDigest {
    /// The digest, as 64 hexadecimal digits.
    public static func compute(_ projections: ProjectionSet) throws -> String {
        var hasher = SHA256()
        try projections.store.read { txn in
            for database in projections.databases {
                hasher.update(data: Data(database.name.utf8))
                try txn.forEach(in: database) { key, value in
                    var counts = [UInt32(key.count).bigEndian, UInt32(value.count).bigEndian]
                    counts.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                    hasher.update(bufferPointer: key)
                    hasher.update(bufferPointer: value)
                    return true
                }
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// The fleet, or one node, as it stood at a log position or a moment — folded from the log, never
/// from the projections.
public enum AsOf {
    /// One node as of `position` (inclusive); `nil` if it did not exist then (or had been deleted).
    public static func node(_ uuid: UUID, at position: UInt64, in store: LMDBEventStore) throws -> NodeAggregate? {
        var aggregate: NodeAggregate?
        for recorded in try store.events(ofStream: NodeStream.id(uuid)) {
            guard recorded.position <= position else { break }
            guard let event = try? NodeEvent.decode(payload: recorded.payload) else { continue }
            aggregate = NodeEvolution.evolve(aggregate, event, at: recorded.recordedAtMicroseconds)
            aggregate?.version = recorded.streamVersion
        }
        return aggregate?.deleted == true ? nil : aggregate
    }

    /// Every node that existed as of `position`.
    public static func fleet(at position: UInt64, in store: LMDBEventStore) throws -> [UUID: NodeAggregate] {
        var fleet: [UUID: NodeAggregate] = [:]
        try store.scan(from: 1, through: position) { recorded in
            guard let uuid = NodeStream.node(of: recorded.streamID), let event = try? NodeEvent.decode(payload: recorded.payload) else { return true }
            var after = NodeEvolution.evolve(fleet.removeValue(forKey: uuid), event, at: recorded.recordedAtMicroseconds)
            after?.version = recorded.streamVersion
            fleet[uuid] = consume after
            return true
        }
        return fleet.filter { !$0.value.deleted }
    }

    /// The last position recorded at or before `time` (µs since 1970); 0 if none.
    public static func position(atTime time: Int64, in store: LMDBEventStore) throws -> UInt64 {
        var low: UInt64 = 1, high = try store.currentHead().position + 1
        while low < high {
            let middle = low + (high - low) / 2
            guard let event = try store.event(at: middle) else { break }
            if event.recordedAtMicroseconds > time { high = middle } else { low = middle + 1 }
        }
        return low - 1
    }
}

/// Slots that concurrent decoders fill, each writing only its own indexes.
private final class DecodedSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<NodeEvent?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// Safe without a lock: every index is written by exactly one worker, into memory that is
    /// allocated once and never moves.
    func set(_ index: Int, _ event: NodeEvent?) { slots[index] = event }

    var values: [NodeEvent?] { Array(slots) }
}

/// Slots for the encoded nodes of a rebuild, each written by exactly one worker.
private final class EncodedNodes: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<([UInt8], NodeIndexes.Entries)>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: ([], NodeIndexes.Entries()))
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ row: [UInt8], _ entries: NodeIndexes.Entries) { slots[index] = (row, entries) }

    func get(_ index: Int) -> ([UInt8], NodeIndexes.Entries) { slots[index] }
}

/// One history dimension's positions by value, remembering the last value it saw: consecutive
/// events of one request, actor or project then cost a string comparison, not a hash lookup.
struct HistoryColumn {
    private var indexOf: [String: Int] = [:]
    private var values: [String] = []
    private var positions: [[UInt64]] = []
    private var last: (value: String, index: Int)?

    mutating func add(_ value: String, _ position: UInt64) {
        let index: Int
        if let last, last.value == value {
            index = last.index
        } else if let known = indexOf[value] {
            index = known
        } else {
            index = values.count
            indexOf[value] = index
            values.append(value)
            positions.append([])
        }
        last = (value, index)
        positions[index].append(position)
    }

    var byValue: [String: [UInt64]] {
        Dictionary(uniqueKeysWithValues: zip(values, positions).map { ($0, $1) })
    }
}
