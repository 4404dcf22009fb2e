import Crypto
import Domain
import EventStore
import Foundation

/// Throws every projection away and folds the whole log into them again.
///
/// Projections are a cache of the log: a rebuild must give byte-identical state, which the digest
/// proves. Run it with the server stopped (the store's writer lock makes sure of that).
public enum ProjectionRebuild {
    /// Clears every projection and its checkpoint, replays the log from position 1, and returns
    /// the digest of the rebuilt state.
    @discardableResult
    public static func run(_ projections: ProjectionSet, progress: ((UInt64, UInt64) -> Void)? = nil) async throws -> String {
        let store = projections.store
        try await store.write { txn in
            for database in projections.databases { try txn.clear(database) }
            for name in ProjectionSet.checkpoints { try store.removeCheckpoint(named: name, in: txn) }
        }
        try await projections.catchUp(progress: progress)
        return try ProjectionDigest.compute(projections)
    }
}

/// A SHA-256 over every projection database's keys and values, in order: two data directories
/// with the same digest hold the same projection state, byte for byte.
public enum ProjectionDigest {
    /// The digest, as 64 hexadecimal digits.
    public static func compute(_ projections: ProjectionSet) throws -> String {
        var hasher = SHA256()
        try projections.store.read { txn in
            for database in projections.databases {
                hasher.update(data: Data(database.name.utf8))
                try txn.forEach(in: database) { key, value in
                    var counts = [UInt32(key.count).bigEndian, UInt32(value.count).bigEndian]
                    counts.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                    hasher.update(bufferPointer: key)
                    hasher.update(bufferPointer: value)
                    return true
                }
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// The fleet, or one node, as it stood at a log position or a moment — folded from the log, never
/// from the projections.
public enum AsOf {
    /// One node as of `position` (inclusive); `nil` if it did not exist then (or had been deleted).
    public static func node(_ uuid: UUID, at position: UInt64, in store: LMDBEventStore) throws -> NodeAggregate? {
        var aggregate: NodeAggregate?
        for recorded in try store.events(ofStream: NodeStream.id(uuid)) {
            guard recorded.position <= position else { break }
            guard let event = try? NodeEvent.decode(payload: recorded.payload) else { continue }
            aggregate = NodeEvolution.evolve(aggregate, event, at: recorded.recordedAtMicroseconds)
            aggregate?.version = recorded.streamVersion
        }
        return aggregate?.deleted == true ? nil : aggregate
    }

    /// Every node that existed as of `position`.
    public static func fleet(at position: UInt64, in store: LMDBEventStore) throws -> [UUID: NodeAggregate] {
        var fleet: [UUID: NodeAggregate] = [:]
        try store.scan(from: 1, through: position) { recorded in
            guard let uuid = NodeStream.node(of: recorded.streamID), let event = try? NodeEvent.decode(payload: recorded.payload) else { return true }
            fleet[uuid] = NodeEvolution.evolve(fleet[uuid], event, at: recorded.recordedAtMicroseconds)
            fleet[uuid]?.version = recorded.streamVersion
            return true
        }
        return fleet.filter { !$0.value.deleted }
    }

    /// The last position recorded at or before `time` (µs since 1970); 0 if none.
    public static func position(atTime time: Int64, in store: LMDBEventStore) throws -> UInt64 {
        var low: UInt64 = 1, high = try store.currentHead().position + 1
        while low < high {
            let middle = low + (high - low) / 2
            guard let event = try store.event(at: middle) else { break }
            if event.recordedAtMicroseconds > time { high = middle } else { low = middle + 1 }
        }
        return low - 1
    }
}
