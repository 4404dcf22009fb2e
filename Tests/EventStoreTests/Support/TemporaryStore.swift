import Foundation
@testable import EventStore

/// A fresh directory under the system's temporary directory, removed when the test is done.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-test-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Opens a store in `directory` with test defaults (no fsync: the tests here are about logic;
/// the crash tests use durable stores).
func openStore(_ directory: String, durability: Durability = .noSyncForTestsAndBenchmarksOnly, mapSize: Int? = nil, clock: (@Sendable () -> Int64)? = nil) throws -> LMDBEventStore {
    var options = StoreOptions(initialMapSize: mapSize, durability: durability)
    if let clock { options.clock = clock }
    return try LMDBEventStore(directory: directory, options: options)
}

/// An event of `type` whose payload is `bytes` bytes of a repeating pattern.
func event(_ type: String = "Tested", bytes: Int = 32, id: UUID = UUID(), metadata: EventMetadata = EventMetadata(actor: "tester")) -> ProposedEvent {
    ProposedEvent(eventID: id, type: type, metadata: metadata, payload: Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0) }))
}
