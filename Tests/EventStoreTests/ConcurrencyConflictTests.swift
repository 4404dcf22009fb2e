import Foundation
import Testing
@testable import EventStore

@Suite("Optimistic concurrency and multi-stream atomicity")
struct ConcurrencyConflictTests {
    @Test("expected versions: no stream, exact and any")
    func expectedVersions() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "node/a", expected: .noStream, [event()])
        await #expect(throws: EventStoreError.wrongExpectedVersion(streamID: "node/a", expected: .noStream, actual: 1)) {
            try await store.append(to: "node/a", expected: .noStream, [event()])
        }
        _ = try await store.append(to: "node/a", expected: .exact(1), [event()])
        await #expect(throws: EventStoreError.wrongExpectedVersion(streamID: "node/a", expected: .exact(1), actual: 2)) {
            try await store.append(to: "node/a", expected: .exact(1), [event()])
        }
        await #expect(throws: EventStoreError.wrongExpectedVersion(streamID: "node/new", expected: .exact(0), actual: 0)) {
            try await store.append(to: "node/new", expected: .exact(0), [event()])
        }
        _ = try await store.append(to: "node/a", expected: .any, [event()])
        #expect(try store.version(ofStream: "node/a") == 3)
        #expect(try store.currentHead().position == 3)
    }

    @Test("of many writers racing on one expected version, exactly one wins")
    func racingWritersOneWins() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "node/hot", [event()])
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 {
                group.addTask { (try? await store.append(to: "node/hot", expected: .exact(1), [event()])) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try store.version(ofStream: "node/hot") == 2)
    }

    @Test("an append across streams is all or nothing")
    func multiStreamAtomicity() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "node/b", [event()])
        let moved = [
            StreamAppend(streamID: "node/a", expectedVersion: .noStream, events: [event("PortRemoved")]),
            StreamAppend(streamID: "node/b", expectedVersion: .exact(7), events: [event("PortAdded")]),
        ]
        await #expect(throws: EventStoreError.wrongExpectedVersion(streamID: "node/b", expected: .exact(7), actual: 1)) {
            try await store.append(moved)
        }
        #expect(try store.version(ofStream: "node/a") == 0)
        #expect(try store.currentHead().position == 1)

        let fixed = [moved[0], StreamAppend(streamID: "node/b", expectedVersion: .exact(1), events: moved[1].events)]
        let result = try await store.append(fixed)
        #expect(result.positions == [2, 3])
        #expect(result.streamVersions == ["node/a": 1, "node/b": 2])
        #expect(try store.events(from: 2, limit: 10).map(\.type) == ["PortRemoved", "PortAdded"])
    }

    @Test("a refused append in a group commit does not fail its neighbours")
    func refusalIsIsolatedWithinABatch() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let expected: ExpectedVersion = index.isMultiple(of: 2) ? .noStream : .exact(99)
                    return (try? await store.append(to: "node/\(index)", expected: expected, [event()])) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 32)
        #expect(try store.currentHead().position == 32)
        #expect(try store.verify().isValid)
    }
}
