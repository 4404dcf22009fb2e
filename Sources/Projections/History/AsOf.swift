import Domain
import EventStore
import Foundation

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

    /// Every node that existed as of `position`. `progress` hears (events folded, `position`)
    /// every 10,000 events and at the end.
    public static func fleet(at position: UInt64, in store: LMDBEventStore,
                             progress: ((UInt64, UInt64) -> Void)? = nil) throws -> [UUID: NodeAggregate] {
        var fleet: [UUID: NodeAggregate] = [:]
        try store.scan(from: 1, through: position) { recorded in
            if recorded.position % 10_000 == 0, recorded.position < position { progress?(recorded.position, position) }
            guard let uuid = NodeStream.node(of: recorded.streamID), let event = try? NodeEvent.decode(payload: recorded.payload) else { return true }
            var after = NodeEvolution.evolve(fleet.removeValue(forKey: uuid), event, at: recorded.recordedAtMicroseconds)
            after?.version = recorded.streamVersion
            fleet[uuid] = consume after
            return true
        }
        progress?(position, position)
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
