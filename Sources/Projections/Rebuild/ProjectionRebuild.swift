import Domain
import EventStore
import Foundation

/// Throws every projection away and folds the whole log into them again.
///
/// Projections are a cache of the log: a rebuild must give byte-identical state, which the digest
/// proves. Run it with the server stopped (the store's writer lock makes sure of that).
public enum ProjectionRebuild {
    /// Rebuilds every projection, then returns the digest of the rebuilt state.
    @discardableResult
    public static func run(_ projections: ProjectionSet, progress: ((UInt64, UInt64) -> Void)? = nil) async throws -> String {
        try await rebuild(projections, progress: progress)
        return try ProjectionDigest.compute(projections)
    }

    /// Clears every projection and its checkpoint, folds the log from position 1 in memory, and
    /// writes the result in key order.
    ///
    /// The live projections fold the same events with the same `evolve` and derive the same index
    /// entries, so the two paths agree byte for byte — which `ProjectionDigest` shows.
    public static func rebuild(_ projections: ProjectionSet, progress: ((UInt64, UInt64) -> Void)? = nil) async throws {
        let store = projections.store
        try await store.write { txn in
            for database in projections.databases { try txn.clear(database) }
            for name in ProjectionSet.checkpoints { try store.removeCheckpoint(named: name, in: txn) }
        }
        var fold = FleetFold()
        let head = try store.currentHead().position
        // Read and decode the next batch while this one folds: decoding is parallel, folding is
        // not, so overlapping them keeps both cores busy.
        @Sendable func load(_ from: UInt64, _ limit: Int = 65_536) throws -> FoldBatch {
            try FoldBatch(from: from, limit: limit, in: store)
        }
        // A small first batch: nothing folds until it is decoded.
        var upcoming: Task<FoldBatch, any Error>? = head > 0 ? Task.detached { try load(1, 4_096) } : nil
        while let loading = upcoming {
            let batch = try await loading.value
            guard let last = batch.lastPosition else { break }
            upcoming = last < head ? Task.detached { try load(last + 1) } : nil
            for share in batch.shares { fold.add(share) }
            progress?(last, head)
        }
        try await fold.write(into: projections, head: head)
    }
}
