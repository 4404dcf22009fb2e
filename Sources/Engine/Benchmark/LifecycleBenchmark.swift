import Domain
import Drivers
import EventStore
import Foundation
import Logging

/// The figures `ironlog bench lifecycle` reports; its JSON keys are the contract of `--json`.
public struct LifecycleBenchmarkReport: Codable, Sendable {
    public var nodes: Int
    public var activeNodes: Int
    public var wallSeconds: Double
    public var events: UInt64
    public var eventsPerSecond: Double
    public var commands: Int
    public var commandP50Milliseconds: Double
    public var commandP99Milliseconds: Double

    enum CodingKeys: String, CodingKey {
        case nodes
        case activeNodes = "active_nodes"
        case wallSeconds = "wall_s"
        case events
        case eventsPerSecond = "events_per_s"
        case commands
        case commandP50Milliseconds = "command_p50_ms"
        case commandP99Milliseconds = "command_p99_ms"
    }
}

/// A fleet of fake-hardware nodes through enroll → manage → provide (automated cleaning) →
/// deploy → active, in process, on a durable store: the engine's own speed, with no HTTP.
public struct LifecycleBenchmark: Sendable {
    public var nodes = 1_000
    public var workDirectory = FileManager.default.temporaryDirectory.path

    public init() {}

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> LifecycleBenchmarkReport {
        let directory = workDirectory + "/ironlog-bench-lifecycle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "ironlog.bench")
        logger.logLevel = .warning
        let conductor = try await Conductor.open(directory: directory, logger: logger)
        defer { conductor.close() }
        try conductor.start()
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await FleetDriver(nodes: nodes).run(on: conductor, progress: progress)
        let wall = (clock.now - started).seconds
        let events = try conductor.store.currentHead().position
        let latencies = outcome.commandSeconds.sorted()
        func percentile(_ fraction: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            return latencies[min(latencies.count - 1, Int((fraction * Double(latencies.count)).rounded(.up)) - 1)] * 1000
        }
        return LifecycleBenchmarkReport(
            nodes: nodes, activeNodes: outcome.states[.active] ?? 0, wallSeconds: wall, events: events,
            eventsPerSecond: Double(events) / wall, commands: latencies.count,
            commandP50Milliseconds: percentile(0.5), commandP99Milliseconds: percentile(0.99)
        )
    }
}
