import EventStore
import Foundation
import Testing

@Suite("Crash safety: SIGKILL at random moments loses no acknowledged append")
struct CrashSafetyTests {
    @Test("24 kills of a durable appender: every acknowledged append survives, the log verifies, appending continues")
    func killedAppenderKeepsItsPromises() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trials = CrashTrials(executable: try IronlogBinary.url().path, directory: directory, kills: 24, seed: 20_261_125)
        let outcome = try await onOwnThread { try trials.run() }
        #expect(outcome.kills == 24)
        #expect(outcome.acknowledged >= 24)
        #expect(outcome.head >= UInt64(outcome.acknowledged))

        // The survivor takes new appends on top of what the killed children left.
        let store = try LMDBEventStore(directory: directory)
        defer { store.close() }
        let appended = try await store.append(to: "after/crash", [ProposedEvent(type: "Survived", payload: Data())])
        #expect(appended.positions == [outcome.head + 1])
        #expect(try store.verify().isValid)
    }
}

/// Runs blocking work (the trials block on the child's pipe) on a thread of its own, off the
/// cooperative pool that the other tests share.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
