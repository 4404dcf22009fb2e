import Foundation
import Testing
@testable import EventStore

/// Counts events per type in its own database and keeps its checkpoint beside them.
private struct TypeCounter: InlineProjection {
    let counts: Database
    let store: LMDBEventStore

    func apply(_ events: [RecordedEvent], in transaction: WriteTransaction) throws {
        for event in events {
            let key = Array(event.type.utf8)
            let current = try transaction.reader.value(forKey: key, in: counts).map { PositionKey.decode($0.withUnsafeBytes { $0 }) ?? 0 } ?? 0
            try transaction.put(PositionKey.encode(current + 1), forKey: key, in: counts)
        }
        try store.saveCheckpoint(named: "type-counter", position: events.last!.position, in: transaction)
    }

    func count(_ type: String) throws -> UInt64 {
        try store.read { txn in
            try txn.value(forKey: Array(type.utf8), in: counts).map { bytes in bytes.withUnsafeBytes { PositionKey.decode($0) ?? 0 } } ?? 0
        }
    }
}

@Suite("Storage for projections and checkpoints")
struct ProjectionStorageTests {
    @Test("an inline projection is updated in the commit, before the append is acknowledged")
    func inlineProjectionReadsYourWrites() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let counter = TypeCounter(counts: try await store.openDatabase(named: "proj/type-counts"), store: store)
        store.register(inline: counter)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<20 {
                group.addTask {
                    for round in 0..<10 {
                        _ = try await store.append(to: "n/\(writer)", [event(round.isMultiple(of: 2) ? "PowerOn" : "PowerOff")])
                        // Read-your-writes: the acknowledged event is already counted.
                        #expect(try store.checkpoint(named: "type-counter") >= UInt64(round + 1))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try counter.count("PowerOn") == 100)
        #expect(try counter.count("PowerOff") == 100)
        #expect(try store.checkpoint(named: "type-counter") == 200)
    }

    @Test("a catch-up consumer writes its rows and checkpoint in its own transaction, atomically")
    func catchUpWriteIsAtomic() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "n", (0..<10).map { _ in event() })
        let rows = try await store.openDatabase(named: "proj/rows")
        try await store.write { txn in
            try txn.put([1], forKey: [1], in: rows)
            try store.saveCheckpoint(named: "rows", position: 10, in: txn)
        }
        #expect(try store.checkpoint(named: "rows") == 10)

        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.write { txn in
                try txn.put([2], forKey: [2], in: rows)
                try store.saveCheckpoint(named: "rows", position: 11, in: txn)
                throw Refused()
            }
        }
        #expect(try store.checkpoint(named: "rows") == 10)
        #expect(try store.read { try $0.value(forKey: [2], in: rows) } == nil)
        #expect(try store.read { try $0.count(of: rows) } == 1)
    }

    @Test("the store's own database names are reserved")
    func reservedNames() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        await #expect(throws: EventStoreError.reservedDatabaseName("log")) { _ = try await store.openDatabase(named: "log") }
    }
}

/// Claims names: an inline projection records each `NameClaimed` event's name.
private struct NameIndex: InlineProjection {
    let names: Database

    func apply(_ events: [RecordedEvent], in transaction: WriteTransaction) throws {
        for event in events where event.type == "NameClaimed" {
            try transaction.put(Array(event.streamID.utf8), forKey: Array(event.payload), in: names)
        }
    }
}

/// Refuses an append whose name is already in the index.
private struct NameIsFree: AppendCondition {
    struct Taken: Error, Equatable {}
    let names: Database
    let name: String

    func check(_ transaction: ReadTransaction) throws {
        if try transaction.value(forKey: Array(name.utf8), in: names) != nil { throw Taken() }
    }
}

@Suite("Append conditions: rules across streams that hold under concurrency")
struct AppendConditionTests {
    @Test("of many concurrent claims of one name, in one or many commits, exactly one is written")
    func uniqueUnderConcurrency() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let names = try await store.openDatabase(named: "proj/names")
        store.register(inline: NameIndex(names: names))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for claimant in 0..<48 {
                group.addTask {
                    let claim = ProposedEvent(type: "NameClaimed", payload: Data("node-1".utf8))
                    let result = try? await store.append([StreamAppend(streamID: "node/\(claimant)", events: [claim])],
                                                         condition: NameIsFree(names: names, name: "node-1"))
                    return result != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try store.currentHead().position == 1)
        await #expect(throws: NameIsFree.Taken.self) {
            try await store.append([StreamAppend(streamID: "node/late", events: [ProposedEvent(type: "NameClaimed", payload: Data("node-1".utf8))])],
                                   condition: NameIsFree(names: names, name: "node-1"))
        }
    }
}
