import EventStore
import Foundation
import Logging

/// Runs `body` with an event store in a fresh temporary directory, closed and removed afterwards.
func withTemporaryStore<T>(_ body: (LMDBEventStore) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("ironlog-server-tests-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try LMDBEventStore(
        directory: directory.path,
        options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly)
    )
    defer { store.close() }
    return try await body(store)
}

/// A logger that discards everything, so test output stays readable.
let quietLogger = Logger(label: "ironlog-server-tests", factory: { _ in SwiftLogNoOpLogHandler() })
