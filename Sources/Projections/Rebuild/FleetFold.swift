import Domain
import EventStore
import Foundation

/// The whole log folded in memory: every node's aggregate and every history index entry, ready
/// to be written in key order.
struct FleetFold {
    /// Every node seen, by the order it was first seen; `slot` finds a node's place.
    private var slots: [UUID: Int] = [:]
    private var nodes: [NodeAggregate?] = []
    private var uuids: [UUID] = []
    /// History entries of the string-keyed dimensions.
    private var types = HistoryColumn(), actors = HistoryColumn(), projects = HistoryColumn(), requests = HistoryColumn()
    /// The envelopes of allocation and deploy template streams, in log order: few, folded at the end.
    private var records: [RecordEntry] = []

    /// Every node's final state.
    var aggregates: [UUID: NodeAggregate] {
        var result: [UUID: NodeAggregate] = [:]
        for (uuid, aggregate) in zip(uuids, nodes) { result[uuid] = aggregate }
        return result
    }

    /// History positions by dimension and value.
    var history: [HistoryIndex.Dimension: [String: [UInt64]]] {
        [.type: types.byValue, .actor: actors.byValue, .project: projects.byValue, .request: requests.byValue]
    }

    /// Folds a run of envelopes in log order.
    mutating func add(_ items: [FoldItem]) {
        for item in items {
            let position = item.position
            types.add(item.type, position)
            if let actor = item.actor { actors.add(actor, position) }
            if let project = item.project { projects.add(project, position) }
            if let request = item.requestID { requests.add(request, position) }
            if let record = item.record { records.append(record) }
            guard let node = item.node, let event = item.event else { continue }
            let slot = slot(of: node)
            // Evolved where it lies: a node is large, and moving it out and back costs copies.
            NodeEvolution.evolve(&nodes[slot], event, at: item.recordedAtMicroseconds)
            nodes[slot]?.version = item.streamVersion
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

    /// Writes everything in key order (bulk appends), with every checkpoint at `head`.
    func write(into projections: ProjectionSet, head: UInt64) async throws {
        let store = projections.store
        let tables = projections.nodes.tables
        // The history index is written on the store's writer thread while the nodes are encoded.
        let histories = history
        let writingHistory = Task { try await Self.write(histories, into: projections) }
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
            let nodes = try txn.appender(for: tables.nodes)
            for row in sortedRows { try nodes.append(row.value, forKey: row.key) }
            for (entries, database) in sortedIndexes {
                let index = try txn.appender(for: database)
                for (key, value) in entries { try index.append(value, forKey: key) }
            }
            try store.saveCheckpoint(named: NodeStateProjection.checkpointName, position: head, in: txn)
        }
        try await writingHistory.value
        let records = records
        try await store.write { txn in
            try projections.allocations.fold(records, in: txn)
            try projections.deployTemplates.fold(records, in: txn)
            try projections.chassis.fold(records, in: txn)
            try projections.networks.fold(records, in: txn)
            try projections.switches.fold(records, in: txn)
            try projections.runbooks.fold(records, in: txn)
            try projections.inspectionRules.fold(records, in: txn)
            try store.saveCheckpoint(named: AllocationRecords.checkpointName, position: head, in: txn)
            try store.saveCheckpoint(named: DeployTemplateRecords.checkpointName, position: head, in: txn)
            try store.saveCheckpoint(named: ChassisRecords.checkpointName, position: head, in: txn)
            try store.saveCheckpoint(named: NetworkRecords.checkpointName, position: head, in: txn)
            try store.saveCheckpoint(named: SwitchRecords.checkpointName, position: head, in: txn)
            try store.saveCheckpoint(named: RunbookRecords.checkpointName, position: head, in: txn)
            try store.saveCheckpoint(named: InspectionRuleRecords.checkpointName, position: head, in: txn)
        }
        try await store.write { txn in try store.saveCheckpoint(named: HistoryIndex.checkpointName, position: head, in: txn) }
    }

    /// Writes the history index (see ``HistoryIndex``): values in byte order, each value's
    /// buckets ascending — pure appends, in transactions of a bounded number of rows.
    private static func write(_ histories: [HistoryIndex.Dimension: [String: [UInt64]]], into projections: ProjectionSet) async throws {
        let store = projections.store
        for dimension in HistoryIndex.Dimension.allCases {
            guard let database = projections.history.databases[dimension], let values = histories[dimension] else { continue }
            let runs = values.map { (Array($0.key.utf8) + [0], $0.value) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
            var start = 0
            while start < runs.count {
                var end = start, rows = 0
                while end < runs.count, rows < 100_000 { rows += 1 + runs[end].1.count / 128; end += 1 }
                let chunk = runs[start..<end]
                try await store.write { txn in
                    let appender = try txn.appender(for: database)
                    var key: [UInt8] = [], offsets: [UInt8] = []
                    for (prefix, positions) in chunk {
                        var index = positions.startIndex
                        // Positions ascend, so each bucket's are consecutive.
                        while index < positions.endIndex {
                            let bucket = HistoryIndex.bucket(of: positions[index])
                            offsets.removeAll(keepingCapacity: true)
                            while index < positions.endIndex, HistoryIndex.bucket(of: positions[index]) == bucket {
                                offsets.append(HistoryIndex.offset(of: positions[index]))
                                index += 1
                            }
                            key.removeAll(keepingCapacity: true)
                            key += prefix
                            withUnsafeBytes(of: bucket.bigEndian) { key += $0 }
                            try appender.append(offsets, forKey: key)
                        }
                    }
                }
                start = end
            }
        }
    }
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
