import Domain
import EventStore
import Foundation

/// Indexes of the log for audit queries, kept inline: by event type, actor, project and request
/// id. Each entry is key ‖ 0x00 ‖ position (big-endian), so one prefix scan returns a key's events
/// in log order. A node needs no index of its own: its stream is one (the store links each
/// event to the previous one of its stream). Time needs none either: positions are in recording
/// order and recorded times never go backwards, so a time range is a position range found by
/// bisection.
public struct HistoryIndex: InlineProjection {
    /// The checkpoint name.
    public static let checkpointName = "proj/history"

    /// What an index is keyed by.
    public enum Dimension: String, Sendable, CaseIterable {
        case type, actor, project, request
    }

    let databases: [Dimension: Database]
    let store: LMDBEventStore

    /// Opens (creating) the index databases in `store`.
    public static func open(in store: LMDBEventStore) async throws -> HistoryIndex {
        var databases: [Dimension: Database] = [:]
        for dimension in Dimension.allCases {
            databases[dimension] = try await store.openDatabase(named: "hist/\(dimension.rawValue)")
        }
        return HistoryIndex(databases: databases, store: store)
    }

    /// Every database of the index, in a fixed order.
    public var all: [Database] { Dimension.allCases.compactMap { databases[$0] } }

    public func apply(_ events: [RecordedEvent], in transaction: WriteTransaction) throws {
        for event in events {
            let position = withUnsafeBytes(of: event.position.bigEndian) { Array($0) }
            for (dimension, value) in Self.values(of: event) {
                try transaction.put([], forKey: Self.key(value, position), in: databases[dimension]!)
            }
        }
        if let last = events.last {
            try store.saveCheckpoint(named: Self.checkpointName, position: last.position, in: transaction)
        }
    }

    static func values(of event: RecordedEvent) -> [(Dimension, String)] {
        var values: [(Dimension, String)] = [(.type, event.type)]
        if let actor = event.metadata.actor { values.append((.actor, actor)) }
        if let project = event.metadata.project { values.append((.project, project)) }
        if let request = event.metadata.requestID { values.append((.request, request)) }
        return values
    }

    static func key(_ value: String, _ position: [UInt8]) -> [UInt8] { Array(value.utf8) + [0] + position }

    /// Positions of the events with `value` in `dimension`, within `range`, in log order.
    public func positions(_ dimension: Dimension, _ value: String, in range: ClosedRange<UInt64> = 1...UInt64.max, limit: Int = .max) throws -> [UInt64] {
        let prefix = Array(value.utf8) + [0]
        let start = prefix + withUnsafeBytes(of: range.lowerBound.bigEndian) { Array($0) }
        var positions: [UInt64] = []
        try store.read { txn in
            try txn.forEach(in: databases[dimension]!, from: start) { key, _ in
                guard key.count == prefix.count + 8, key.prefix(prefix.count).elementsEqual(prefix) else { return false }
                let position = UInt64(bigEndian: key.loadUnaligned(fromByteOffset: prefix.count, as: UInt64.self))
                guard position <= range.upperBound else { return false }
                positions.append(position)
                return positions.count < limit
            }
        }
        return positions
    }
}
