import Domain
import EventStore
import Foundation
import Projections
import Testing

@Suite("History index buckets")
struct HistoryBucketTests {
    @Test("positions across bucket boundaries come back exactly, for any range, live and rebuilt")
    func rangesAcrossBuckets() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-hist-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { store.close() }
        let projections = try await ProjectionSet.open(in: store)
        projections.registerInline()
        // 400 events: actor "even" on even positions, "odd" on odd ones; one "rare" at 129 and 383.
        for position in 1...400 {
            let actor = position == 129 || position == 383 ? "rare" : position % 2 == 0 ? "even" : "odd"
            _ = try await store.append(to: "audit", [ProposedEvent(type: "Probe", metadata: EventMetadata(actor: actor), payload: Data())])
        }
        func check() throws {
            for (value, expected) in [("even", Array(stride(from: 2, through: 400, by: 2))), ("rare", [129, 383])] {
                for range in [1...400, 127...129, 128...128, 130...382, 255...257, 384...UInt64.max] as [ClosedRange<UInt64>] {
                    let want = expected.map(UInt64.init).filter { range.contains($0) }
                    #expect(try projections.history.positions(.actor, value, in: range) == want, "\(value) in \(range)")
                }
            }
            #expect(try projections.history.positions(.actor, "odd", limit: 3) == [1, 3, 5])
            #expect(try projections.history.positions(.actor, "nobody").isEmpty)
            #expect(try projections.history.positions(.type, "Probe").count == 400)
        }
        try check()
        let live = try ProjectionDigest.compute(projections)
        #expect(try await ProjectionRebuild.run(projections) == live)
        try check()
    }
}
