import Domain
import Foundation
import Synchronization

/// Node aggregates already decoded from their projection rows, each kept with the exact bytes it
/// was decoded from.
///
/// Decoding a row is a pure function of its bytes, so a row whose bytes equal the kept ones is
/// answered with the kept aggregate, and any other row is decoded afresh: an entry can be stale
/// (a transaction that wrote it was rolled back, or a later one changed the row) but never wrong.
/// Comparing a few kilobytes costs far less than decoding them, and a busy node is read again
/// and again — by every command's decision, by the projection folding its next event, by the API.
/// At most ``capacity`` nodes are kept; past that the cache starts over.
public final class DecodedAggregates: Sendable {
    private struct Entry {
        var bytes: [UInt8]
        var aggregate: NodeAggregate
    }

    /// The most nodes kept.
    public let capacity: Int
    private let entries = Mutex<[UUID: Entry]>([:])

    /// A cache of at most `capacity` nodes.
    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The aggregate the row `bytes` of node `uuid` holds.
    func aggregate(_ uuid: UUID, bytes: UnsafeRawBufferPointer) throws -> NodeAggregate {
        if let kept = entries.withLock({ $0[uuid] }), Self.equal(kept.bytes, bytes) { return kept.aggregate }
        let aggregate = try JSONValueDecoder().decode(NodeAggregate.self, from: Data(bytes))
        remember(uuid, bytes: Array(bytes), aggregate: aggregate)
        return aggregate
    }

    /// Keeps `aggregate` as what `bytes` decode to.
    func remember(_ uuid: UUID, bytes: [UInt8], aggregate: NodeAggregate) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[uuid] == nil { entries.removeAll(keepingCapacity: true) }
            entries[uuid] = Entry(bytes: bytes, aggregate: aggregate)
        }
    }

    private static func equal(_ kept: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard kept.count == bytes.count else { return false }
        guard let base = bytes.baseAddress else { return kept.isEmpty }
        return kept.withUnsafeBytes { memcmp($0.baseAddress!, base, bytes.count) == 0 }
    }
}
