import Foundation
import Testing
@testable import EventStore

@Suite("The memory map grows instead of failing")
struct MapGrowthTests {
    @Test("a tiny initial map fills and grows without losing anything")
    func tinyMapGrows() async throws {
        let directory = TemporaryDirectory()
        let initial = 256 * 1024
        let store = try openStore(directory.path, mapSize: initial)
        defer { store.close() }
        let payload = 1_000
        var expected: [UUID] = []
        try await withThrowingTaskGroup(of: [UUID].self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var ids: [UUID] = []
                    for _ in 0..<250 {
                        let proposed = event(bytes: payload)
                        _ = try await store.append(to: "grow/\(writer)", [proposed])
                        ids.append(proposed.eventID)
                    }
                    return ids
                }
            }
            for try await ids in group { expected += ids }
        }
        #expect(store.mapSize > initial)
        #expect(try store.currentHead().position == 2_000)
        for id in expected { #expect(try store.position(ofEvent: id) != nil) }
        #expect(try store.verify().isValid)

        // One append bigger than the whole initial map also fits after growth.
        let large = (0..<40).map { _ in event(bytes: 20_000) }
        let result = try await store.append(to: "grow/large", large)
        #expect(result.positions.count == 40)
        #expect(try store.verify().isValid)
    }

    @Test("a store reopened after growing keeps its size and its data")
    func reopenAfterGrowth() async throws {
        let directory = TemporaryDirectory()
        do {
            let store = try openStore(directory.path, mapSize: 128 * 1024)
            for _ in 0..<30 { _ = try await store.append(to: "s", (0..<10).map { _ in event(bytes: 2_000) }) }
            store.close()
        }
        let reopened = try openStore(directory.path, mapSize: 128 * 1024)
        defer { reopened.close() }
        #expect(try reopened.currentHead().position == 300)
        _ = try await reopened.append(to: "s", [event(bytes: 2_000)])
        #expect(try reopened.verify().isValid)
    }
}
