import EventStore
import Foundation
import Projections

/// The figures `ironlog bench recovery` reports; its JSON keys are the contract of `--json`.
public struct RecoveryBenchmarkReport: Codable, Sendable {
    public var events: Int
    public var nodes: Int
    /// From starting `ironlog serve` on the data directory to its first answer to a node GET:
    /// each restart, and their median.
    public var firstRequestSeconds: [Double]
    public var firstRequestMedianSeconds: Double
    public var backupSeconds: Double
    public var backupBytes: Int
    /// Checking the backup, copying it in, verifying the chain and rebuilding every projection.
    public var restoreSeconds: Double

    enum CodingKeys: String, CodingKey {
        case events, nodes
        case firstRequestSeconds = "first_request_s"
        case firstRequestMedianSeconds = "first_request_median_s"
        case backupSeconds = "backup_s"
        case backupBytes = "backup_bytes"
        case restoreSeconds = "restore_s"
    }
}

/// Builds a fleet's log (``FleetWorkload``) with its projections current, as a server leaves
/// its data directory, then measures what recovery costs: how soon `ironlog serve` answers after
/// a restart, a hot backup, and a restore that verifies the chain and rebuilds every projection.
public struct RecoveryBenchmark: Sendable {
    public var nodes = 10_000
    public var events = 1_000_000
    public var restarts = 3
    public var workDirectory = FileManager.default.temporaryDirectory.path
    /// The `ironlog` executable that is restarted.
    public var executable: String

    public init(executable: String) { self.executable = executable }

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> RecoveryBenchmarkReport {
        let directory = workDirectory + "/ironlog-bench-recovery-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/data"
        do {
            let store = try LMDBEventStore(directory: data, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
            defer { store.close() }
            let projections = try await ProjectionSet.open(in: store)
            progress("writing \(events) events over \(nodes) nodes…")
            try await FleetWorkload(nodes: nodes, events: events).write(to: store) { done, total in
                if done % 200_000 == 0 || done == total { progress("  \(done)/\(total)") }
            }
            progress("bringing the projections up to the head…")
            try await ProjectionRebuild.rebuild(projections)
        }
        let clock = ContinuousClock()
        var firstRequest: [Double] = []
        let path = "/v1/nodes/\(FleetWorkload.uuid(0).uuidString.lowercased())"
        for restart in 1...restarts {
            let port = try LoopbackPort.free()
            let started = clock.now
            let server = try ChildProcess(executable, ["serve", "--data", data, "--port", String(port)],
                                          standardError: .file(directory + "/serve-\(restart).log"))
            var status: Int?
            while status == nil, server.isRunning, clock.now - started < .seconds(120) {
                status = LoopbackHTTP.status(port: port, path: path)
                if status == nil { try await Task.sleep(for: .milliseconds(2)) }
            }
            let seconds = (clock.now - started).seconds
            await server.stop()
            guard status == 200 else {
                let log = (try? String(contentsOfFile: directory + "/serve-\(restart).log", encoding: .utf8)) ?? ""
                throw RecoveryBenchmarkFailure(description: "ironlog serve did not answer \(path) with 200 (got \(status.map(String.init) ?? "nothing")):\n\(log)")
            }
            firstRequest.append(seconds)
            progress(String(format: "  restart %d: first answer after %.3f s", restart, seconds))
        }

        progress("backing up…")
        let source = try LMDBEventStore(directory: data, options: StoreOptions(readOnly: true))
        var started = clock.now
        let manifest = try DataDirectoryBackup.backup(source, dataDirectory: data, to: directory + "/backup")
        let backup = (clock.now - started).seconds
        source.close()

        progress("restoring…")
        started = clock.now
        _ = try await DataDirectoryBackup.restore(from: directory + "/backup", to: directory + "/restored", force: false)
        let restore = (clock.now - started).seconds

        return RecoveryBenchmarkReport(
            events: events, nodes: nodes, firstRequestSeconds: firstRequest, firstRequestMedianSeconds: firstRequest.sorted()[firstRequest.count / 2],
            backupSeconds: backup, backupBytes: manifest.dataBytes, restoreSeconds: restore
        )
    }
}

/// The recovery benchmark could not measure.
public struct RecoveryBenchmarkFailure: Error, CustomStringConvertible {
    public let description: String
}
