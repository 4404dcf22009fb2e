import Domain
import EventStore
import Foundation

/// Indexes of the log for audit queries, kept inline: by event type, actor, project and request
/// id.
///
/// Positions are kept in buckets of 128: the row `value ‖ 0x00 ‖ bucket` (big-endian u64,
/// `position >> 7`) holds one byte per event of that value in the bucket, its position's low
/// seven bits, ascending. A prefix scan returns a value's events in log order, and a log of
/// millions of events needs a few rows per value instead of one per event. A node needs no index of its own: its stream is one (the store links each
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
            for (dimension, value) in Self.values(of: event) {
                let key = Self.key(value, bucket: Self.bucket(of: event.position))
                let database = databases[dimension]!
                var offsets = try transaction.reader.value(forKey: key, in: database) ?? []
                offsets.append(Self.offset(of: event.position))
                try transaction.put(offsets, forKey: key, in: database)
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

    /// The bucket of a position: its row is keyed by it.
    static func bucket(of position: UInt64) -> UInt64 { position >> 7 }

    /// The byte a position is stored as in its bucket's row.
    static func offset(of position: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: position & 0x7F) }

    /// The row key of `value`'s events in `bucket`.
    static func key(_ value: String, bucket: UInt64) -> [UInt8] {
        Array(value.utf8) + [0] + withUnsafeBytes(of: bucket.bigEndian) { Array($0) }
    }

    /// Positions of the events with `value` in `dimension`, within `range`, in log order.
    public func positions(_ dimension: Dimension, _ value: String, in range: ClosedRange<UInt64> = 1...UInt64.max, limit: Int = .max) throws -> [UInt64] {
        let prefix = Array(value.utf8) + [0]
        var positions: [UInt64] = []
        try store.read { txn in
            try txn.forEach(in: databases[dimension]!, from: Self.key(value, bucket: Self.bucket(of: range.lowerBound))) { key, offsets in
                guard key.count == prefix.count + 8, key.prefix(prefix.count).elementsEqual(prefix) else { return false }
                let bucket = UInt64(bigEndian: key.loadUnaligned(fromByteOffset: prefix.count, as: UInt64.self))
                for offset in offsets {
                    let position = bucket << 7 | UInt64(offset)
                    guard position >= range.lowerBound else { continue }
                    guard position <= range.upperBound, positions.count < limit else { return false }
                    positions.append(position)
                }
                return true
            }
        }
        return positions
    }
}
