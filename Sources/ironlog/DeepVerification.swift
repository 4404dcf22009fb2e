import EventStore
import Foundation
import Projections

/// `ironlog verify --deep`: the projections checked against the log. A consistent copy of the
/// data directory (a hot backup, so a running server is not stopped) is brought up to its head
/// as a starting server would, its projections' digest taken, then every projection rebuilt from
/// position 1 and the digest taken again. Equal digests prove the projections are exactly what
/// the log says.
struct DeepVerification {
    /// What the comparison found.
    struct Report {
        /// The copy's head: the log the projections were checked against.
        var head: UInt64
        /// The digest of the projections as they were (caught up to the head).
        var live: String
        /// The digest after rebuilding them from the log.
        var rebuilt: String
        /// Whether the projections were behind the log in the copy (a server catches them up at start).
        var wasBehind: Bool

        var isIdentical: Bool { live == rebuilt }
    }

    let store: LMDBEventStore
    /// Where the scratch copy is made; removed afterwards.
    let scratch: String

    func run(progress: @escaping (String, UInt64, UInt64) -> Void) async throws -> Report {
        let copyDirectory = scratch + "/data"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        _ = try store.backup(to: copyDirectory)
        let copy = try LMDBEventStore(directory: copyDirectory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { copy.close() }
        let projections = try await ProjectionSet.open(in: copy)
        let head = try copy.currentHead().position
        let wasBehind = try projections.checkpoint() < head
        try await projections.catchUp { done, total in progress("catching up", done, total) }
        let live = try ProjectionDigest.compute(projections)
        try await ProjectionRebuild.rebuild(projections) { done, total in progress("rebuilding", done, total) }
        let rebuilt = try ProjectionDigest.compute(projections)
        return Report(head: head, live: live, rebuilt: rebuilt, wasBehind: wasBehind)
    }
}
