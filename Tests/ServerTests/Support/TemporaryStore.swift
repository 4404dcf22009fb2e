import Drivers
import Engine
import EventStore
import Foundation
import Logging

/// Runs `body` with a started conductor (fake hardware available) over a fresh temporary data
/// directory, closed and removed afterwards. The engine logs to `logger`.
func withConductor<T>(logger: Logger = quietLogger, _ body: (Conductor) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("ironlog-server-tests-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = EngineConfiguration()
    configuration.host = "test-conductor"
    let conductor = try await Conductor.open(
        directory: directory.path,
        options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly),
        configuration: configuration,
        logger: logger
    )
    defer { conductor.close() }
    try conductor.start()
    return try await body(conductor)
}

/// A logger that discards everything, so test output stays readable.
let quietLogger = Logger(label: "ironlog-server-tests", factory: { _ in SwiftLogNoOpLogHandler() })
