import Foundation
import Testing
@testable import EventStore

@Suite("Appending: order, gaplessness and idempotency")
struct AppendOrderingTests {
    @Test("concurrent appenders get distinct, gapless, ordered positions and per-stream versions")
    func concurrentAppendersAreGapless() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let writers = 32, appendsPerWriter = 40
        let results = try await withThrowingTaskGroup(of: [AppendResult].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var results: [AppendResult] = []
                    for _ in 0..<appendsPerWriter {
                        results.append(try await store.append(to: "writer/\(writer)", [event(), event()]))
                    }
                    return results
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let positions = results.flatMap(\.positions).sorted()
        let total = writers * appendsPerWriter * 2
        #expect(positions == Array(1...UInt64(total)))
        #expect(try store.currentHead().position == UInt64(total))
        // The two events of each append are adjacent: one append is never split by another.
        for result in results { #expect(result.positions[1] == result.positions[0] + 1) }

        let log = try store.events(from: 1, limit: .max)
        #expect(log.map(\.position) == Array(1...UInt64(total)))
        for writer in 0..<writers {
            let stream = try store.events(ofStream: "writer/\(writer)")
            #expect(stream.map(\.streamVersion) == Array(1...UInt64(appendsPerWriter * 2)))
            #expect(stream.map(\.position) == stream.map(\.position).sorted())
        }
        #expect(store.statistics.events == total)
        #expect(try store.verify().isValid)
    }

    @Test("an event id appended again returns its original position and writes nothing")
    func repeatedEventIDIsIdempotent() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let first = event(), second = event()
        _ = try await store.append(to: "node/a", [event()])
        let original = try await store.append(to: "node/b", expected: .noStream, [first, second])
        #expect(original.positions == [2, 3])
        #expect(!original.deduplicated)

        // The retry's expected version would now fail; idempotency wins because nothing is written.
        let retry = try await store.append(to: "node/b", expected: .noStream, [first, second])
        #expect(retry.positions == [2, 3])
        #expect(retry.streamVersions == ["node/b": 2])
        #expect(retry.deduplicated)
        #expect(try store.currentHead().position == 3)
        #expect(try store.version(ofStream: "node/b") == 2)
    }

    @Test("many tasks racing to append the same event id write it exactly once")
    func racingDuplicatesWriteOnce() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let shared = event()
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for _ in 0..<50 { group.addTask { try await store.append(to: "node/raced", [shared]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results.map(\.positions)) == [[1]])
        #expect(results.filter { !$0.deduplicated }.count == 1)
        #expect(try store.currentHead().position == 1)
    }

    @Test("a retry that changed (some ids known, some new) is refused and writes nothing")
    func partialDuplicateIsRefused() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let known = event()
        _ = try await store.append(to: "node/a", [known])
        await #expect(throws: EventStoreError.partialDuplicate(knownEventID: known.eventID)) {
            try await store.append(to: "node/a", [known, event()])
        }
        #expect(try store.currentHead().position == 1)
    }

    @Test("envelopes keep every field, time never goes backwards, and metadata round-trips")
    func envelopeRoundTrip() async throws {
        let directory = TemporaryDirectory()
        let times = TestClock(start: 1_000_000)
        let store = try openStore(directory.path, clock: { times.next() })
        defer { store.close() }
        let correlation = UUID(), causation = UUID()
        let metadata = EventMetadata(actor: "admin", project: "ops", requestID: "req-1", correlationID: correlation, causationID: causation)
        let proposed = ProposedEvent(type: "NodeEnrolled", schemaVersion: 3, metadata: metadata, payload: Data("{\"name\":\"n1\"}".utf8))
        _ = try await store.append(to: "node/x", [proposed])
        times.set(10) // the wall clock jumps backwards
        _ = try await store.append(to: "node/x", [event()])

        let stored = try store.events(ofStream: "node/x")
        #expect(stored.count == 2)
        let first = try #require(stored.first)
        #expect(first.eventID == proposed.eventID)
        #expect(first.type == "NodeEnrolled")
        #expect(first.schemaVersion == 3)
        #expect(first.metadata == metadata)
        #expect(first.payload == proposed.payload)
        #expect(first.streamVersion == 1)
        #expect(first.recordedAtMicroseconds == 1_000_000)
        #expect(stored[1].recordedAtMicroseconds == 1_000_000)
        #expect(try store.event(at: 1) == first)
        #expect(try store.position(ofEvent: proposed.eventID) == 1)
    }
}

/// A clock the test sets by hand.
final class TestClock: Sendable {
    private let value: Mutex<Int64>
    init(start: Int64) { value = Mutex(start) }
    func next() -> Int64 { value.withLock { $0 } }
    func set(_ microseconds: Int64) { value.withLock { $0 = microseconds } }
}

import Synchronization
