import Foundation
import Testing
@testable import EventStore

@Suite("Reads by position and by stream")
struct ReadTests {
    @Test("reading by position range, and by stream forwards and backwards")
    func ranges() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        for index in 0..<30 { _ = try await store.append(to: index.isMultiple(of: 3) ? "node/a" : "node/b", [event("E\(index)")]) }
        #expect(try store.events(from: 10, limit: 5).map(\.position) == [10, 11, 12, 13, 14])
        #expect(try await store.read(from: 29, limit: 10).map(\.position) == [29, 30])
        #expect(try store.events(from: 31, limit: 10).isEmpty)

        let forward = try store.events(ofStream: "node/a", from: 3, direction: .forward, limit: 3)
        #expect(forward.map(\.streamVersion) == [3, 4, 5])
        #expect(forward.map(\.type) == ["E6", "E9", "E12"])
        let backward = try await store.readStream("node/a", from: .max, direction: .backward, limit: 2)
        #expect(backward.map(\.streamVersion) == [10, 9])
        #expect(try store.events(ofStream: "node/missing").isEmpty)
        #expect(try store.events(ofStream: "node/a", from: 11).isEmpty)

        var seen: [UInt64] = []
        try store.scan(from: 5, through: 12, batchSize: 3) { event in
            seen.append(event.position)
            return true
        }
        #expect(seen == Array(5...12))
    }

    @Test("a stream id that is a prefix of another does not see the other's events")
    func prefixStreams() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        _ = try await store.append(to: "node/ab", [event(), event()])
        _ = try await store.append(to: "node/a", [event()])
        #expect(try store.version(ofStream: "node/a") == 1)
        #expect(try store.version(ofStream: "node/ab") == 2)
        #expect(try store.events(ofStream: "node/a").count == 1)
        #expect(try store.events(ofStream: "node/a", direction: .backward).count == 1)
    }

    @Test("long streams read correctly from any version, in both directions, across marks")
    func longStreamsAcrossMarks() async throws {
        let directory = TemporaryDirectory()
        let store = try openStore(directory.path)
        defer { store.close() }
        // Two interleaved streams of 300 and 150 events: marks at every 64th version.
        for index in 0..<300 {
            var appends = [StreamAppend(streamID: "node/long", events: [event("L\(index + 1)")])]
            if index.isMultiple(of: 2) { appends.append(StreamAppend(streamID: "node/other", events: [event("O\(index / 2 + 1)")])) }
            _ = try await store.append(appends)
        }
        #expect(try store.version(ofStream: "node/long") == 300)
        let all = try store.events(ofStream: "node/long")
        #expect(all.map(\.type) == (1...300).map { "L\($0)" })
        #expect(all.map(\.previousPositionInStream) == [0] + all.dropLast().map(\.position))
        for start in [1, 63, 64, 65, 128, 200, 299, 300] as [UInt64] {
            let forward = try store.events(ofStream: "node/long", from: start, direction: .forward, limit: 70)
            #expect(forward.map(\.streamVersion) == Array(start...min(start + 69, 300)))
            let backward = try store.events(ofStream: "node/long", from: start, direction: .backward, limit: 70)
            #expect(backward.map(\.streamVersion) == Array((start > 69 ? start - 69 : 1)...start).reversed())
        }
        #expect(try store.events(ofStream: "node/other", from: 140, limit: 100).map(\.streamVersion) == Array(140...150))
        let report = try store.verify()
        #expect(report.isValid)
        #expect(report.indexEntriesChecked == 2 + 6 + 450) // tips, marks (4 + 2), ids
    }
}
