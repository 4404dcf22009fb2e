import CLMDB
import Foundation

/// Measures the store against raw LMDB on the same machine in the same run.
///
/// Each figure is taken in a fresh data directory under ``Configuration/workDirectory``, which is
/// removed afterwards. Appends are durable unless the configuration says otherwise; the replay
/// log is built without fsync (only reading it is measured).
public struct StoreBenchmark: Sendable {
    /// What to measure and for how long.
    public struct Configuration: Sendable {
        /// Concurrent writer counts to measure appends at.
        public var writerCounts = [1, 16, 64]
        /// How long each append figure runs.
        public var appendDuration: Duration = .seconds(5)
        /// Payload bytes per event.
        public var payloadBytes = 300
        /// Envelopes in the replay log.
        public var replayEvents = 1_000_000
        /// How many times replay and raw scan are repeated (the median is reported).
        public var scanRepeats = 3
        /// Durable appends (the real figure) or not.
        public var durability: Durability = .durable
        /// Where scratch data directories go.
        public var workDirectory = FileManager.default.temporaryDirectory.path

        /// The defaults: 1, 16 and 64 writers, 5 s each, 300-byte payloads, a 1,000,000-event replay.
        public init() {}
    }

    /// The configuration this benchmark runs.
    public var configuration: Configuration

    /// Creates a benchmark.
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Runs every measurement, reporting progress lines through `progress`.
    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> StoreBenchmarkReport {
        var figures: [StoreBenchmarkReport.AppendFigure] = []
        for writers in configuration.writerCounts {
            progress("durable append, \(writers) writer(s), \(configuration.appendDuration)…")
            figures.append(try await measureAppends(writers: writers))
        }
        let batch = max(figures.last?.medianBatch ?? 1, 1)
        progress("raw LMDB append, \(batch) events per commit…")
        let raw = try measureRawAppends(batch: batch)
        progress("building a \(configuration.replayEvents)-event log for replay…")
        let replay = try await measureReplay(progress: progress)
        let top = figures.last?.eventsPerSecond ?? 0
        return StoreBenchmarkReport(
            append: figures, rawAppendEventsPerSecond: raw, rawBatchEvents: batch,
            appendToRawRatio: raw > 0 ? top / raw : 0, replayEventsPerSecond: replay.decoded,
            rawScanPerSecond: replay.raw, replayEvents: configuration.replayEvents,
            payloadBytes: configuration.payloadBytes, durable: configuration.durability == .durable
        )
    }

    private func scratch(_ name: String) -> String {
        configuration.workDirectory + "/ironlog-bench-\(name)-\(UUID().uuidString)"
    }

    private var payload: Data { Data((0..<configuration.payloadBytes).map { UInt8(truncatingIfNeeded: $0 &* 7) }) }

    private func measureAppends(writers: Int) async throws -> StoreBenchmarkReport.AppendFigure {
        let directory = scratch("append")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: configuration.durability))
        defer { store.close() }
        let payload = self.payload
        let metadata = EventMetadata(actor: "bench", project: "bench", requestID: "req-\(UUID().uuidString.lowercased())")
        // Warm up: create the streams and let the file grow.
        for writer in 0..<writers { _ = try await store.append(to: "bench/\(writer)", [ProposedEvent(type: "Warm", payload: payload)]) }
        store.resetStatistics()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.appendDuration)
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var samples: [Double] = []
                    samples.reserveCapacity(4096)
                    let stream = "bench/\(writer)"
                    while clock.now < deadline {
                        let began = clock.now
                        _ = try await store.append(to: stream, [ProposedEvent(type: "BenchmarkEvent", metadata: metadata, payload: payload)])
                        samples.append((clock.now - began).seconds * 1000)
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        let elapsed = (clock.now - start).seconds
        let percentiles = Percentiles(latencies)
        return .init(
            writers: writers, eventsPerSecond: Double(latencies.count) / elapsed,
            p50Milliseconds: percentiles.median, p99Milliseconds: percentiles.value(at: 0.99),
            medianBatch: store.statistics.medianBatchSize
        )
    }

    /// Raw LMDB: the same flags, one database, `batch` values of the payload size per commit.
    private func measureRawAppends(batch: Int) throws -> Double {
        let directory = scratch("raw")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let environment = try Environment(
            directory: directory, mapSize: 4 << 30, maxDatabases: 4, maxReaders: 126,
            sync: configuration.durability == .durable ? .everyCommit : .never, readOnly: false
        )
        let database = try environment.write { txn in try environment.openDatabase(named: "log", in: txn.txn, create: true)! }
        let value = Array(payload)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.appendDuration)
        let start = clock.now
        var position: UInt64 = 0
        while clock.now < deadline {
            try environment.write { txn in
                for _ in 0..<batch {
                    position += 1
                    try txn.put(value, forKey: PositionKey.encode(position), in: database, flags: UInt32(MDB_APPEND))
                }
            }
        }
        return Double(position) / (clock.now - start).seconds
    }

    private func measureReplay(progress: @Sendable (String) -> Void) async throws -> (decoded: Double, raw: Double) {
        let directory = scratch("replay")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { store.close() }
        let payload = self.payload
        let metadata = EventMetadata(actor: "bench", project: "bench", requestID: "req-replay")
        let chunk = 10_000
        var written = 0
        while written < configuration.replayEvents {
            let count = min(chunk, configuration.replayEvents - written)
            // Ten thousand nodes' streams, interleaved as a fleet would write them.
            let appends = Dictionary(grouping: 0..<count) { (written + $0) % 10_000 }.map { stream, indexes in
                StreamAppend(streamID: "node/\(stream)", events: indexes.map { _ in ProposedEvent(type: "BenchmarkEvent", metadata: metadata, payload: payload) })
            }
            _ = try await store.append(appends)
            written += count
            if written % 200_000 == 0 { progress("  \(written) events written") }
        }
        try store.environment.sync()
        let clock = ContinuousClock()
        var decodedRates: [Double] = []
        var rawRates: [Double] = []
        for round in 1...max(configuration.scanRepeats, 1) {
            progress("replay round \(round)…")
            var count = 0
            var bytes = 0
            var start = clock.now
            try store.scan(from: 1) { event in
                count += 1
                bytes &+= event.payload.count
                return true
            }
            precondition(count == configuration.replayEvents && bytes > 0)
            decodedRates.append(Double(count) / (clock.now - start).seconds)

            count = 0
            bytes = 0
            start = clock.now
            try store.environment.read { txn in
                try txn.forEach(in: store.tables.log) { key, value in
                    count += 1
                    bytes &+= key.count &+ value.count &+ Int(value[value.count - 1])
                    return true
                }
            }
            precondition(count == configuration.replayEvents && bytes > 0)
            rawRates.append(Double(count) / (clock.now - start).seconds)
        }
        return (Percentiles(decodedRates).median, Percentiles(rawRates).median)
    }
}
