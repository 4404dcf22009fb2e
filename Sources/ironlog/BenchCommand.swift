import ArgumentParser
import EventStore
import Foundation
import Projections
import Logging
import Engine
import Drivers
import Domain

/// `ironlog bench`: measurements that back the figures in docs/performance.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the store (release builds give the real figures).",
        subcommands: [StoreBench.self, ReplayBench.self, LifecycleBench.self, DriversBench.self, RecoveryBench.self, CrashBench.self, AppendChild.self, FleetChild.self]
    )
}

/// `ironlog bench store`: durable append at 1/16/64 writers against raw LMDB, and replay.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Durable append throughput and latency, raw LMDB for comparison, and replay speed."
    )

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Seconds each append figure runs.")
    var seconds: Double = 5

    @Option(help: "Envelopes in the replay log.")
    var replayEvents = 1_000_000

    @Option(help: "Payload bytes per event.")
    var payload = 300

    @Option(parsing: .upToNextOption, help: "Concurrent writer counts.")
    var writers: [Int] = [1, 16, 64]

    @Option(help: ArgumentHelp("Where scratch data directories go.", valueName: "DIR"))
    var workDirectory: String = FileManager.default.temporaryDirectory.path

    @Flag(help: "Append without fsync (not the real figure; for comparison only).")
    var noSync = false

    func run() async throws {
        var configuration = StoreBenchmark.Configuration()
        configuration.writerCounts = writers
        configuration.appendDuration = .milliseconds(Int(seconds * 1000))
        configuration.replayEvents = replayEvents
        configuration.payloadBytes = payload
        configuration.workDirectory = workDirectory
        configuration.durability = noSync ? .noSyncForTestsAndBenchmarksOnly : .durable
        let report = try await StoreBenchmark(configuration: configuration).run { line in
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
        if json {
            try printJSON(report)
        } else {
            print(StoreBenchTable(report: report).rendered)
        }
    }
}

/// The human table of `ironlog bench store`.
struct StoreBenchTable {
    let report: StoreBenchmarkReport

    var rendered: String {
        var lines = [
            "Durable append (\(report.payloadBytes)-byte payloads, one event per append\(report.durable ? "" : ", NO FSYNC"))",
            "  writers   events/s    p50 ms    p99 ms   median batch",
        ]
        for figure in report.append {
            lines.append(String(format: "  %7d %10.0f %9.2f %9.2f %14d", figure.writers, figure.eventsPerSecond, figure.p50Milliseconds, figure.p99Milliseconds, figure.medianBatch))
        }
        lines.append(String(format: "Raw LMDB append, %d events per commit: %.0f events/s", report.rawBatchEvents, report.rawAppendEventsPerSecond))
        lines.append(String(format: "Store at %d writers / raw: %.0f%%", report.append.last?.writers ?? 0, report.appendToRawRatio * 100))
        lines.append(String(format: "Replay (read + decode %d envelopes): %.0f events/s", report.replayEvents, report.replayEventsPerSecond))
        lines.append(String(format: "Raw LMDB cursor scan of the same log: %.0f entries/s", report.rawScanPerSecond))
        return lines.joined(separator: "\n")
    }
}

/// `ironlog bench crash`: the crash trials, as many kills as you like.
struct CrashBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract: "Kill an appending process with SIGKILL repeatedly; check every acknowledged append survives."
    )

    @Option(help: "How many times to kill.")
    var kills = 100

    @Option(help: "Seed for the kill moments.")
    var seed: UInt64 = 0x1D0_C0FFEE

    @Option(help: ArgumentHelp("Data directory to append to (default: a scratch directory).", valueName: "DIR"))
    var data: String?

    func run() async throws {
        let directory = data ?? FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-crash-\(UUID().uuidString)").path
        defer { if data == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let trials = CrashTrials(executable: executable, directory: directory, kills: kills, seed: seed)
        let outcome = try trials.run { print($0) }
        print("\(outcome.kills) kills, \(outcome.acknowledged) acknowledged appends all present, log verified, head \(outcome.head)")
    }
}

/// The process the crash trials kill: appends forever, printing acknowledgements.
struct AppendChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append-child",
        abstract: "Append as fast as possible, printing `ack <position> <event id>` per durable append.",
        shouldDisplay: false
    )

    @OptionGroup var data: DataDirectoryOption

    @Option(help: "Concurrent appenders.")
    var writers = 16

    @Option(help: "Payload bytes per event.")
    var payload = 300

    @Option(help: "Stop after this many events (default: run until killed).")
    var limit: Int?

    func run() async throws {
        try await AppendStorm.run(directory: data.path, writers: writers, payloadBytes: payload, limit: limit)
    }
}

/// `ironlog bench replay`: rebuild speed, memory and as-of latency over a fleet's log.
struct ReplayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Build a fleet's log, then measure a full projection rebuild and as-of queries."
    )

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @OptionGroup var fleet: FleetLogOptions

    @Option(help: ArgumentHelp("Where the scratch data directory goes.", valueName: "DIR"))
    var workDirectory: String = FileManager.default.temporaryDirectory.path

    @Option(name: .customLong("keep"), help: ArgumentHelp("Write the log into this new data directory and keep it.", valueName: "DIR"))
    var keep: String?

    func run() async throws {
        var benchmark = ReplayBenchmark()
        benchmark.keptDirectory = keep
        benchmark.events = fleet.events
        benchmark.nodes = fleet.nodes
        benchmark.workDirectory = workDirectory
        let report = try await benchmark.run { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        if json {
            try printJSON(report)
        } else {
            print(String(format: "Rebuild of every projection: %d events over %d nodes in %.2f s = %.0f events/s, peak RSS %.0f MB",
                         report.events, report.nodes, report.rebuildSeconds, report.rebuildEventsPerSecond, report.peakRSSMegabytes))
            print(String(format: "As-of one node: p50 %.2f ms, p99 %.2f ms; the whole fleet: %.2f s",
                         report.asOfNodeP50Milliseconds, report.asOfNodeP99Milliseconds, report.asOfFleetSeconds))
            print(String(format: "Digest: %@ (computed in %.2f s)", report.digest, report.digestSeconds))
        }
    }
}

/// Prints `value` as one line of JSON with sorted keys: the `--json` output of every benchmark.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `ironlog bench lifecycle`: a fake-hardware fleet to active through the engine, in process.
struct LifecycleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Fake-hardware nodes through enroll, manage, provide and deploy to active, in process, on a durable store."
    )

    @Flag(help: "Print one JSON object instead of the summary.")
    var json = false

    @Option(help: "Nodes in the fleet.")
    var nodes = 1_000

    @Option(help: ArgumentHelp("Where the scratch data directory goes.", valueName: "DIR"))
    var workDirectory: String = FileManager.default.temporaryDirectory.path

    func run() async throws {
        var benchmark = LifecycleBenchmark()
        benchmark.nodes = nodes
        benchmark.workDirectory = workDirectory
        let report = try await benchmark.run { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        if json {
            try printJSON(report)
        } else {
            print(String(format: "%d nodes to active (%d active) in %.2f s: %llu events, %.0f events/s; %d commands, p50 %.2f ms, p99 %.2f ms",
                         report.nodes, report.activeNodes, report.wallSeconds, report.events, report.eventsPerSecond,
                         report.commands, report.commandP50Milliseconds, report.commandP99Milliseconds))
        }
    }
}

/// `ironlog bench fleet-child`: drives a fleet of fake nodes to active on a data directory,
/// journaling every fake hardware action — the child the crash-recovery trials kill.
struct FleetChild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet-child",
        abstract: "Drive fake-hardware nodes to active on DIR (resuming whatever a previous run left); for crash trials.",
        shouldDisplay: false
    )

    @OptionGroup var data: DataDirectoryOption

    @Option(help: "Nodes in the fleet.")
    var nodes = 100

    @Option(help: ArgumentHelp("File where every fake hardware action is noted before it runs.", valueName: "FILE"))
    var journal: String

    @Option(help: "Seconds each fake hardware action takes.")
    var delay = 0.002

    func run() async throws {
        var logger = Logger(label: "ironlog.fleet-child")
        logger.logLevel = .warning
        let fake = FakeBehaviour(journal: try FileActionJournal(path: journal))
        let conductor = try await Conductor.open(directory: data.path, drivers: .standard(fake: fake), logger: logger)
        defer { conductor.close() }
        try conductor.start()
        try await conductor.settle()
        let outcome = try await FleetDriver(nodes: nodes, driverInfo: ["fake_delay": .number(delay)]).run(on: conductor)
        let states = outcome.states.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: " ")
        print("done \(states)")
    }
}

/// `ironlog bench drivers`: the ipmi and redfish drivers against emulated BMCs.
struct DriversBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drivers",
        abstract: "Power cycle and deploy nodes on emulated BMCs (ipmi_sim, sushy-emulator): wall time and BMC calls per node."
    )

    @Flag(help: "Print one JSON object instead of the summary.")
    var json = false

    @Option(help: "Nodes: one per ipmi BMC, the rest on the Redfish BMCs' systems.")
    var nodes = 50

    @Option(help: "Emulated BMCs of each kind.")
    var bmcs = 10

    @Option(help: ArgumentHelp("The emulator launchers (the repository's tools/emulators).", valueName: "DIR"))
    var tools = "tools/emulators"

    func run() async throws {
        var benchmark = DriverBenchmark()
        benchmark.nodes = nodes
        benchmark.ipmiBMCs = bmcs
        benchmark.redfishBMCs = bmcs
        benchmark.tools = tools
        let report = try await benchmark.run { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        if json {
            try printJSON(report)
        } else {
            print(String(format: "%d nodes on %d ipmi_sim + %d sushy BMCs: power cycle %.2f s, %.1f BMC calls/node; clean + deploy %.2f s, %.1f BMC calls/node; %d active",
                         report.nodes, report.ipmiBMCs, report.redfishBMCs, report.powerCycleSeconds, report.powerCycleCallsPerNode,
                         report.deploySeconds, report.deployCallsPerNode, report.activeNodes))
        }
    }
}

/// `ironlog bench recovery`: restart, backup and restore over a fleet's log.
struct RecoveryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery",
        abstract: "Build a fleet's log, then time the first answer after a restart, a hot backup, and a restore with rebuild."
    )

    @Flag(help: "Print one JSON object instead of the summary.")
    var json = false

    @OptionGroup var fleet: FleetLogOptions

    @Option(help: "How many times the server is restarted.")
    var restarts = 3

    @Option(help: ArgumentHelp("Where the scratch data directories go.", valueName: "DIR"))
    var workDirectory: String = FileManager.default.temporaryDirectory.path

    func run() async throws {
        var benchmark = RecoveryBenchmark(executable: URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path)
        benchmark.events = fleet.events
        benchmark.nodes = fleet.nodes
        benchmark.restarts = restarts
        benchmark.workDirectory = workDirectory
        let report = try await benchmark.run { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        if json {
            try printJSON(report)
        } else {
            print(String(format: "First answer after a restart (%d events, %d nodes): median %.3f s (%@)", report.events, report.nodes,
                         report.firstRequestMedianSeconds, report.firstRequestSeconds.map { String(format: "%.3f", $0) }.joined(separator: " · ")))
            print(String(format: "Hot backup: %.2f s for %.0f MB; restore with chain check and rebuild: %.2f s",
                         report.backupSeconds, Double(report.backupBytes) / 1_048_576, report.restoreSeconds))
        }
    }
}

/// The size of the synthetic fleet log the replay and recovery benchmarks build.
struct FleetLogOptions: ParsableArguments {
    @Option(help: "Events in the log.")
    var events = 1_000_000

    @Option(help: "Nodes in the fleet.")
    var nodes = 10_000
}
