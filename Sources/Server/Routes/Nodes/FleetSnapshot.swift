import Domain
import EventStore
import Foundation
import Projections
import Synchronization

/// Every node of the fleet as last decoded, kept while the node projection has not moved.
///
/// The node projection writes its checkpoint in the same transaction as its rows, so within one
/// read transaction an unchanged checkpoint means unchanged rows: a list request then reuses the
/// decoded nodes instead of decoding the whole table again.
final class FleetSnapshot: Sendable {
    private struct Kept {
        var position: UInt64
        var nodes: [NodeAggregate]
        var index: [UUID: Int]
    }

    private let snapshot = Mutex<Kept?>(nil)

    /// The fleet as the projection stands in `transaction` (deleted nodes included, in key order).
    func nodes(in transaction: ReadTransaction, store: LMDBEventStore, tables: NodeTables) throws -> [NodeAggregate] {
        let position = try store.checkpoint(named: NodeStateProjection.checkpointName, in: transaction)
        if let kept = snapshot.withLock({ $0 }), kept.position == position { return kept.nodes }
        let nodes = try NodeStore.all(in: transaction, tables: tables)
        let index = Dictionary(nodes.enumerated().map { ($1.uuid, $0) }, uniquingKeysWith: { first, _ in first })
        snapshot.withLock { $0 = Kept(position: position, nodes: nodes, index: index) }
        return nodes
    }

    /// One node as the projection stands in `transaction`: from the kept fleet while it is
    /// current, else decoded from its row alone (the kept fleet is left for the next list).
    func node(_ uuid: UUID, in transaction: ReadTransaction, store: LMDBEventStore, tables: NodeTables) throws -> NodeAggregate? {
        let position = try store.checkpoint(named: NodeStateProjection.checkpointName, in: transaction)
        if let kept = snapshot.withLock({ $0 }), kept.position == position {
            return kept.index[uuid].map { kept.nodes[$0] }
        }
        return try NodeStore.aggregate(uuid, in: transaction, tables: tables)
    }
}
