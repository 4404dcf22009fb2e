import Domain
import Foundation
import Testing

@testable import Projections

@Suite("Decoded aggregates: kept by the bytes they came from")
struct DecodedAggregatesTests {
    private func bytes(_ aggregate: NodeAggregate) throws -> [UInt8] { try NodeStore.encode(aggregate) }

    @Test("equal bytes give the kept aggregate; other bytes are decoded afresh, never the stale one")
    func keptByBytes() throws {
        let cache = DecodedAggregates()
        let uuid = UUID()
        var node = Node(uuid: uuid, driver: "fake-hardware")
        node.name = "first"
        let first = NodeAggregate(node: node)
        let firstBytes = try bytes(first)
        // A kept aggregate that does not match its bytes shows whether the bytes are compared:
        // the same bytes answer with what was kept, without decoding.
        var marked = first
        marked.version = 42
        cache.remember(uuid, bytes: firstBytes, aggregate: marked)
        #expect(try firstBytes.withUnsafeBytes { try cache.aggregate(uuid, bytes: $0) }.version == 42)

        node.name = "second"
        let secondBytes = try bytes(NodeAggregate(node: node))
        let decoded = try secondBytes.withUnsafeBytes { try cache.aggregate(uuid, bytes: $0) }
        #expect(decoded.node.name == "second")
        #expect(decoded.version == 0)
        // The first row's bytes are decoded again now that the second's are kept.
        #expect(try firstBytes.withUnsafeBytes { try cache.aggregate(uuid, bytes: $0) }.node.name == "first")
        #expect(try firstBytes.withUnsafeBytes { try cache.aggregate(uuid, bytes: $0) }.version == 0)
    }

    @Test("a full cache starts over")
    func capacity() throws {
        let cache = DecodedAggregates(capacity: 2)
        let nodes = (0..<3).map { _ in NodeAggregate(node: Node(uuid: UUID(), driver: "fake-hardware")) }
        for node in nodes {
            var marked = node
            marked.version = 7
            cache.remember(node.uuid, bytes: try bytes(node), aggregate: marked)
        }
        let first = try bytes(nodes[0])
        #expect(try first.withUnsafeBytes { try cache.aggregate(nodes[0].uuid, bytes: $0) }.version == 0, "forgotten when the third arrived")
        let third = try bytes(nodes[2])
        #expect(try third.withUnsafeBytes { try cache.aggregate(nodes[2].uuid, bytes: $0) }.version == 7)
    }
}
