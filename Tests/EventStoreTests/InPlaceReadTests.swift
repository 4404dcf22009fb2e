import Foundation
import Testing
@testable import EventStore

@Suite("Reading envelopes in place and appending in bulk")
struct InPlaceReadTests {
    @Test("withEnvelopes sees exactly what events(from:) decodes, from any start and limit")
    func viewsMatchDecodedEnvelopes() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        for index in 0..<30 {
            let metadata = index % 3 == 0 ? EventMetadata() : EventMetadata(actor: "a\(index)", project: index % 2 == 0 ? "p" : nil, requestID: "req-\(index)")
            _ = try await store.append(to: "stream-\(index % 4)", [event("Type\(index % 5)", bytes: index, metadata: metadata)])
        }
        for (start, limit) in [(1, 30), (7, 5), (29, 10), (31, 3)] {
            let decoded = try store.events(from: UInt64(start), limit: limit)
            var seen: [RecordedEvent] = []
            let visited = try store.withEnvelopes(from: UInt64(start), limit: limit) { view in
                seen.append(decoded[seen.count])
                let expected = seen.last!
                #expect(view.position == expected.position)
                #expect(view.streamVersion == expected.streamVersion)
                #expect(view.recordedAtMicroseconds == expected.recordedAtMicroseconds)
                #expect(String(decoding: view.streamID, as: UTF8.self) == expected.streamID)
                #expect(String(decoding: view.type, as: UTF8.self) == expected.type)
                #expect(view.actor.map { String(decoding: $0, as: UTF8.self) } == expected.metadata.actor)
                #expect(view.project.map { String(decoding: $0, as: UTF8.self) } == expected.metadata.project)
                #expect(view.requestID.map { String(decoding: $0, as: UTF8.self) } == expected.metadata.requestID)
                #expect(Data(view.payload) == expected.payload)
            }
            #expect(visited == decoded.count)
            #expect(seen.count == decoded.count)
        }
    }

    @Test("a bulk appender writes keys in order and refuses one out of order")
    func bulkAppenderOrder() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        let database = try await store.openDatabase(named: "proj/bulk")
        try await store.write { txn in
            let appender = try txn.appender(for: database)
            for key in 1...100 { try appender.append([UInt8(key)], forKey: [0, UInt8(key)]) }
        }
        #expect(try store.read { try $0.count(of: database) } == 100)
        await #expect(throws: EventStoreError.self) {
            try await store.write { txn in try txn.appender(for: database).append([1], forKey: [0, 50]) }
        }
        // The refused transaction changed nothing.
        #expect(try store.read { try $0.value(forKey: [0, 50], in: database) } == [50])
        #expect(try store.read { try $0.count(of: database) } == 100)
    }
}
