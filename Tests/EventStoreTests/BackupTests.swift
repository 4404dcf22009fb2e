import Foundation
import Testing
@testable import EventStore

@Suite("Hot backup")
struct BackupTests {
    @Test("a compacted copy taken while writers run is a consistent, verifiable prefix of the log")
    func hotBackupDuringAppends() async throws {
        let directory = TemporaryDirectory(), destination = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "seed", (0..<500).map { _ in event(bytes: 300) })
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask { for _ in 0..<100 { _ = try await store.append(to: "w/\(writer)", [event(bytes: 300)]) } }
                }
                try await group.waitForAll()
            }
        }
        let backup = try store.backup(to: destination.path)
        try await writers.value

        #expect(backup.head.position >= 500)
        let copy = try LMDBEventStore(directory: destination.path, options: StoreOptions(readOnly: true))
        defer { copy.close() }
        let report = try copy.verify()
        #expect(report.isValid)
        #expect(report.head == backup.head)
        let original = try store.events(from: 1, limit: Int(backup.head.position))
        #expect(try copy.events(from: 1, limit: .max) == original)
        #expect(try store.currentHead().position == 1_300)
    }

    @Test("a backup refuses a destination that is not empty")
    func refusesNonEmptyDestination() async throws {
        let directory = TemporaryDirectory(), destination = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        try FileManager.default.createDirectory(atPath: destination.path, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: destination.path + "/notes.txt"))
        #expect(throws: EventStoreError.self) { _ = try store.backup(to: destination.path) }
        #expect(try String(contentsOfFile: destination.path + "/notes.txt", encoding: .utf8) == "keep me")
    }
}
