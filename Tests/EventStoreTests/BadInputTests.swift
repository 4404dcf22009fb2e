import Foundation
import Testing
@testable import EventStore

@Suite("Bad input is a clear error and writes nothing")
struct BadInputTests {
    @Test("oversized events, bad stream ids and empty appends are refused before the log is touched")
    func refusedAppends() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "node/ok", [event()])

        let huge = event(bytes: store.options.maxEventBytes)
        await #expect {
            try await store.append(to: "node/ok", [event(), huge])
        } throws: { error in
            guard case EventStoreError.eventTooLarge(let id, _, let limit) = error else { return false }
            return id == huge.eventID && limit == store.options.maxEventBytes
        }
        await #expect(throws: EventStoreError.invalidStreamID("", reason: "it is empty")) {
            try await store.append(to: "", [event()])
        }
        await #expect(throws: EventStoreError.invalidStreamID("a\u{0}b", reason: "it contains a NUL character")) {
            try await store.append(to: "a\u{0}b", [event()])
        }
        let long = String(repeating: "n", count: 401)
        await #expect(throws: EventStoreError.invalidStreamID(long, reason: "it is 401 bytes; the limit is 400")) {
            try await store.append(to: long, [event()])
        }
        await #expect(throws: EventStoreError.emptyAppend) { try await store.append([]) }
        await #expect(throws: EventStoreError.emptyAppend) { try await store.append(to: "node/ok", []) }
        await #expect(throws: EventStoreError.invalidEventType("", reason: "it is empty")) {
            try await store.append(to: "node/ok", [event("")])
        }
        let twice = event()
        await #expect(throws: EventStoreError.ambiguousAppend(reason: "event id \(twice.eventID) appears more than once")) {
            try await store.append(to: "node/ok", [twice, twice])
        }
        await #expect(throws: EventStoreError.ambiguousAppend(reason: "stream node/ok appears more than once")) {
            try await store.append([StreamAppend(streamID: "node/ok", events: [event()]), StreamAppend(streamID: "node/ok", events: [event()])])
        }
        #expect(try store.currentHead().position == 1)
        #expect(try store.verify().isValid)
    }

    @Test("a data file that is not LMDB is refused with a clear error and left untouched")
    func corruptDataDirectory() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        let garbage = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: directory.path + "/data.mdb"))
        #expect {
            _ = try openStore(directory.path)
        } throws: { error in
            guard case EventStoreError.notAStore(let path, let reason) = error else { return false }
            return path == directory.path && reason.contains("not an LMDB")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/data.mdb")) == garbage)
    }

    @Test("a data directory of another format version is refused and not modified")
    func otherFormatVersion() async throws {
        let directory = TemporaryDirectory()
        do {
            let store = try openStore(directory.path)
            _ = try await store.append(to: "node/a", [event()])
            try store.environment.write { txn in
                try txn.put(Layout.encodeFormat(99), forKey: Layout.formatKey, in: store.tables.meta)
            }
            store.close()
        }
        #expect(throws: EventStoreError.unsupportedFormat(directory: directory.path, found: 99, supported: 1)) {
            _ = try openStore(directory.path)
        }
        // Still format 99, with its event: opening did not rewrite anything.
        let readOnly = try LMDBEventStore.rawFormat(directory.path)
        #expect(readOnly == 99)
    }

    @Test("an LMDB environment that is not an Ironlog log is refused")
    func foreignEnvironment() throws {
        let directory = TemporaryDirectory()
        try LMDBEventStore.writeForeignEnvironment(directory.path)
        #expect {
            _ = try openStore(directory.path)
        } throws: { error in
            guard case EventStoreError.notAStore(_, let reason) = error else { return false }
            return reason.contains("not an Ironlog log")
        }
    }

    @Test("a file where the data directory should be, and a missing directory opened read-only")
    func notADirectory() throws {
        let directory = TemporaryDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory.path))
        #expect(throws: EventStoreError.notAStore(directory: directory.path, reason: "it is a file, not a directory")) {
            _ = try openStore(directory.path)
        }
        let missing = TemporaryDirectory()
        #expect(throws: EventStoreError.notAStore(directory: missing.path, reason: "it does not exist")) {
            _ = try LMDBEventStore(directory: missing.path, options: StoreOptions(readOnly: true))
        }
    }

    @Test("a read-only store reads a live directory and refuses to write")
    func readOnlyStore() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "node/a", [event(), event()])
        let reader = try LMDBEventStore(directory: directory.path, options: StoreOptions(readOnly: true))
        defer { reader.close() }
        #expect(try reader.currentHead().position == 2)
        await #expect(throws: EventStoreError.readOnly) { try await reader.append(to: "node/a", [event()]) }
        _ = try await store.append(to: "node/a", [event()])
        #expect(try reader.currentHead().position == 3)
    }
}

extension LMDBEventStore {
    /// The raw format marker of a data directory, read with LMDB directly.
    static func rawFormat(_ directory: String) throws -> UInt32? {
        let environment = try Environment(directory: directory, mapSize: 1 << 20, maxDatabases: 8, maxReaders: 8, sync: .never, readOnly: true)
        return try environment.read { txn in
            guard let meta = try environment.openDatabase(named: Layout.meta, in: txn.txn, create: false) else { return nil }
            return try txn.withValue(forKey: Layout.formatKey, in: meta) { $0.map { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) } }
        }
    }

    /// Writes a plain LMDB environment with a key in its main database, as another program would.
    static func writeForeignEnvironment(_ directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let environment = try Environment(directory: directory, mapSize: 1 << 20, maxDatabases: 8, maxReaders: 8, sync: .never, readOnly: false)
        try environment.write { txn in
            try txn.put(Array("hello".utf8), forKey: Array("key".utf8), in: Database(name: "(main)", dbi: 1))
        }
    }
}

@Suite("One writer per data directory")
struct WriterLockTests {
    @Test("a second writable open is refused, naming the holder; it succeeds once the first closes")
    func secondWriterRefused() async throws {
        let directory = TemporaryDirectory()
        let first = try openStore(directory.path)
        _ = try await first.append(to: "node/a", [event()])
        #expect(throws: EventStoreError.alreadyOpen(directory: directory.path, holder: getpid())) {
            _ = try openStore(directory.path)
        }
        // Readers are welcome while the writer runs.
        let reader = try LMDBEventStore(directory: directory.path, options: StoreOptions(readOnly: true))
        #expect(try reader.currentHead().position == 1)
        first.close()
        let second = try openStore(directory.path)
        defer { second.close() }
        #expect(try second.currentHead().position == 1)
    }
}
