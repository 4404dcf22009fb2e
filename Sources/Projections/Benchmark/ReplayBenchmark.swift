import Domain
import EventStore
import Foundation

/// The figures `ironlog bench replay` reports; its JSON keys are the contract of `--json`.
public struct ReplayBenchmarkReport: Codable, Sendable {
    public var events: Int
    public var nodes: Int
    public var rebuildSeconds: Double
    public var rebuildEventsPerSecond: Double
    public var peakRSSMegabytes: Double
    public var asOfNodeP50Milliseconds: Double
    public var asOfNodeP99Milliseconds: Double
    public var asOfFleetSeconds: Double
    public var digest: String
    /// Time to compute the digest of the rebuilt projections (a check, not part of the rebuild).
    public var digestSeconds: Double

    enum CodingKeys: String, CodingKey {
        case events, nodes
        case rebuildSeconds = "rebuild_s"
        case rebuildEventsPerSecond = "rebuild_events_per_s"
        case peakRSSMegabytes = "peak_rss_mb"
        case asOfNodeP50Milliseconds = "as_of_node_p50_ms"
        case asOfNodeP99Milliseconds = "as_of_node_p99_ms"
        case asOfFleetSeconds = "as_of_fleet_s"
        case digest
        case digestSeconds = "digest_s"
    }
}

/// Builds a fleet's log (``FleetWorkload``), then measures a full rebuild of every projection,
/// the process's peak memory during it, and as-of queries for one node and for the whole fleet.
public struct ReplayBenchmark: Sendable {
    public var nodes = 10_000
    public var events = 1_000_000
    public var nodeQueries = 200
    public var workDirectory = FileManager.default.temporaryDirectory.path
    /// Write the log here and keep it (for trying `ironlog rebuild` or `verify` on a large log)
    /// instead of a scratch directory that is removed afterwards.
    public var keptDirectory: String?

    public init() {}

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> ReplayBenchmarkReport {
        let directory = keptDirectory ?? workDirectory + "/ironlog-bench-replay-\(UUID().uuidString)"
        defer { if keptDirectory == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { store.close() }
        let projections = try await ProjectionSet.open(in: store)
        progress("writing \(events) events over \(nodes) nodes…")
        try await FleetWorkload(nodes: nodes, events: events).write(to: store) { done, total in
            if done % 200_000 == 0 || done == total { progress("  \(done)/\(total)") }
        }
        PeakMemory.reset()
        progress("rebuilding every projection…")
        let clock = ContinuousClock()
        var started = clock.now
        try await ProjectionRebuild.rebuild(projections)
        let rebuild = (clock.now - started).seconds
        let peak = PeakMemory.megabytes()
        started = clock.now
        let digest = try ProjectionDigest.compute(projections)
        let digestSeconds = (clock.now - started).seconds

        progress("as-of queries…")
        let head = try store.currentHead().position
        var generator = SystemRandomNumberGenerator()
        var latencies: [Double] = []
        for _ in 0..<nodeQueries {
            let node = FleetWorkload.uuid(Int.random(in: 0..<nodes, using: &generator))
            let position = UInt64.random(in: 1...head, using: &generator)
            started = clock.now
            _ = try AsOf.node(node, at: position, in: store)
            latencies.append((clock.now - started).seconds * 1000)
        }
        latencies.sort()
        started = clock.now
        let fleet = try AsOf.fleet(at: head / 2, in: store)
        let fleetSeconds = (clock.now - started).seconds
        precondition(!fleet.isEmpty)
        return ReplayBenchmarkReport(
            events: events, nodes: nodes, rebuildSeconds: rebuild, rebuildEventsPerSecond: Double(head) / rebuild,
            peakRSSMegabytes: peak, asOfNodeP50Milliseconds: latencies[latencies.count / 2],
            asOfNodeP99Milliseconds: latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
            asOfFleetSeconds: fleetSeconds, digest: digest, digestSeconds: digestSeconds
        )
    }
}

/// The process's peak resident memory (Linux `VmHWM`), resettable so that one phase can be measured.
enum PeakMemory {
    static func reset() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func megabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}
