import Foundation
import Testing
@testable import EventStore

@Suite("Subscriptions: catch-up, then live, with no gap and no duplicate")
struct SubscriptionTests {
    @Test("catching up while appends race with the switch to live delivers each position once, in order")
    func catchUpToLiveHandover() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let before = 3_000, writers = 16, appendsPerWriter = 60
        for chunk in 0..<(before / 100) {
            _ = try await store.append(to: "seed/\(chunk)", (0..<100).map { _ in event() })
        }
        let total = before + writers * appendsPerWriter
        // A small batch size makes the consumer cross the catch-up/live boundary many times.
        let consumer = Task {
            var seen: [UInt64] = []
            for try await envelope in store.subscribe(from: 1, batchSize: 7) {
                seen.append(envelope.position)
                if seen.count == total { break }
            }
            return seen
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for _ in 0..<appendsPerWriter { _ = try await store.append(to: "live/\(writer)", [event()]) }
                }
            }
            try await group.waitForAll()
        }
        let seen = try await consumer.value
        #expect(seen == Array(1...UInt64(total)))
    }

    @Test("several subscribers from different positions each see their suffix exactly once")
    func subscribersFromPositions() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "s", (0..<50).map { _ in event() })
        let starts: [UInt64] = [1, 25, 50, 51, 80]
        let consumers = starts.map { start in
            Task {
                var seen: [UInt64] = []
                for try await envelope in store.subscribe(from: start, batchSize: 4) {
                    seen.append(envelope.position)
                    if envelope.position == 100 { break }
                }
                return seen
            }
        }
        for _ in 0..<50 { _ = try await store.append(to: "s", [event()]) }
        for (start, consumer) in zip(starts, consumers) {
            #expect(try await consumer.value == Array(start...100))
        }
    }

    @Test("a subscription waiting at the head ends when the store closes, and can be cancelled")
    func endsOnCloseAndCancellation() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        _ = try await store.append(to: "s", [event()])
        let cancelled = Task {
            var count = 0
            for try await _ in store.subscribe(from: 1) { count += 1 }
            return count
        }
        let ending = Task {
            var count = 0
            for try await _ in store.subscribe(from: 1) { count += 1 }
            return count
        }
        // Both reach the head and wait; cancellation and close then end them.
        #expect(try await store.waitForHead(atLeast: 1) == 1)
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        store.close()
        #expect(try await ending.value == 1)
        await #expect(throws: EventStoreError.closed) { try await store.append(to: "s", [event()]) }
    }
}
