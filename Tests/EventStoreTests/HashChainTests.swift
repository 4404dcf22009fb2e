import CLMDB
import Foundation
import Testing
@testable import EventStore

@Suite("The hash chain and verify")
struct HashChainTests {
    /// Writes `bytes` over the stored envelope at `position`, behind the store's back.
    private func tamper(_ store: LMDBEventStore, at position: UInt64, _ change: (inout [UInt8]) -> Void) throws {
        try store.environment.write { txn in
            var bytes = try #require(try txn.reader.value(forKey: PositionKey.encode(position), in: store.tables.log))
            change(&bytes)
            try txn.put(bytes, forKey: PositionKey.encode(position), in: store.tables.log)
        }
    }

    private func filledStore(_ directory: String, events: Int) async throws -> LMDBEventStore {
        let store = try openStore(directory)
        for index in 0..<events { _ = try await store.append(to: "node/\(index % 7)", [event(bytes: 100)]) }
        return store
    }

    @Test("each envelope's hash is SHA-256 of the previous hash and its canonical bytes")
    func chainLinksEnvelopes() async throws {
        let directory = TemporaryDirectory()
        let store = try await filledStore(directory.path, events: 20)
        defer { store.close() }
        let events = try store.events(from: 1, limit: .max)
        var previous = EnvelopeHash.genesis
        for envelope in events {
            let canonical = EnvelopeCodec.canonicalBytes(of: envelope)
            #expect(canonical.withUnsafeBytes { EnvelopeHash.chaining(previous, $0) } == envelope.hash)
            previous = envelope.hash
        }
        #expect(try store.currentHead().hash == previous)
        let report = try store.verify()
        #expect(report.isValid)
        #expect(report.envelopesChecked == 20)
        #expect(report.indexEntriesChecked == 27) // 7 stream tips + 20 event ids
    }

    @Test("verify on a live store: an append between the last batch and the index check is walked, not reported as a bad index")
    func appendDuringVerify() async throws {
        let directory = TemporaryDirectory()
        let store = try await filledStore(directory.path, events: 30)
        defer { store.close() }
        // The append lands after the walk has reached the end (position 30) and before the
        // indexes are read, as a server's appends do while `ironlog verify` runs beside it.
        let report = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<VerificationReport, any Error>) in
            Thread {
                continuation.resume(with: Result {
                    var appended = false
                    return try store.verify(batchSize: 8) { position, _ in
                        guard position == 30, !appended else { return }
                        appended = true
                        let done = DispatchSemaphore(value: 0)
                        Task {
                            _ = try? await store.append(to: "node/3", [event(bytes: 100)])
                            done.signal()
                        }
                        done.wait()
                    }
                })
            }.start()
        }
        #expect(try store.currentHead().position == 31)
        #expect(report.isValid, "\(report.firstProblem.map { "\($0)" } ?? "")")
        #expect(report.envelopesChecked == 31)
        #expect(report.head.position == 31)
    }

    @Test("flipping any one byte of a stored envelope makes verify name that position", arguments: [1, 17, 60, 100, 199])
    func flippedByteIsNamed(byteOffset: Int) async throws {
        let directory = TemporaryDirectory()
        let store = try await filledStore(directory.path, events: 40)
        defer { store.close() }
        let target: UInt64 = 23
        try tamper(store, at: target) { bytes in bytes[byteOffset % bytes.count] ^= 0x01 }
        let report = try store.verify(batchSize: 5)
        let problem = try #require(report.firstProblem)
        #expect(problem.position == target)
        #expect(report.envelopesChecked == target - 1)
    }

    @Test("a flipped byte in the stored hash itself is caught at that position")
    func flippedHashIsNamed() async throws {
        let directory = TemporaryDirectory()
        let store = try await filledStore(directory.path, events: 10)
        defer { store.close() }
        try tamper(store, at: 10) { bytes in bytes[bytes.count - 1] ^= 0x80 }
        #expect(try store.verify().firstProblem?.position == 10)
    }

    @Test("a missing envelope is a gap named at its position")
    func gapIsNamed() async throws {
        let directory = TemporaryDirectory()
        let store = try await filledStore(directory.path, events: 10)
        defer { store.close() }
        try store.environment.write { txn in try txn.delete(PositionKey.encode(4), in: store.tables.log) }
        let problem = try #require(try store.verify().firstProblem)
        #expect(problem.position == 4)
        #expect(problem.reason.contains("skips"))
    }

    @Test("a stream tip that disagrees with the log is reported")
    func brokenStreamTipIsReported() async throws {
        let directory = TemporaryDirectory()
        let store = try await filledStore(directory.path, events: 10)
        defer { store.close() }
        try store.environment.write { txn in
            try txn.put(StreamTip(version: 1, position: 1).encoded, forKey: Layout.streamKey("node/1"), in: store.tables.streams)
        }
        let problem = try #require(try store.verify().firstProblem)
        #expect(problem.reason.contains("node/1"))
    }

    @Test("an index entry pointing at the wrong envelope is reported")
    func brokenIndexIsReported() async throws {
        let directory = TemporaryDirectory()
        let store = try await filledStore(directory.path, events: 10)
        defer { store.close() }
        let victim = try #require(try store.event(at: 6))
        try store.environment.write { txn in
            try txn.put(PositionKey.encode(7), forKey: Layout.idKey(victim.eventID), in: store.tables.ids)
        }
        let problem = try #require(try store.verify().firstProblem)
        #expect(problem.position == 7)
        #expect(problem.reason.contains("event id index"))
    }

    @Test("a store whose last envelope was altered is refused at open, naming the mismatch")
    func tamperedTailRefusedAtOpen() async throws {
        let directory = TemporaryDirectory()
        do {
            let store = try await filledStore(directory.path, events: 5)
            try tamper(store, at: 5) { bytes in bytes[bytes.count - 40] ^= 0xFF }
            store.close()
        }
        #expect {
            _ = try openStore(directory.path)
        } throws: { error in
            guard case EventStoreError.notAStore(_, let reason) = error else { return false }
            return reason.contains("position 5")
        }
    }
}
