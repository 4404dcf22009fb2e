import Domain
import EventStore
import Projections
import Synchronization

/// Every node of the fleet as last decoded, kept while the node projection has not moved.
///
/// The node projection writes its checkpoint in the same transaction as its rows, so within one
/// read transaction an unchanged checkpoint means unchanged rows: a list request then reuses the
/// decoded nodes instead of decoding the whole table again.
final class FleetSnapshot: Sendable {
    private let snapshot = Mutex<(position: UInt64, nodes: [NodeAggregate])?>(nil)

    /// The fleet as the projection stands in `transaction` (deleted nodes included, in key order).
    func nodes(in transaction: ReadTransaction, store: LMDBEventStore, tables: NodeTables) throws -> [NodeAggregate] {
        let position = try store.checkpoint(named: NodeStateProjection.checkpointName, in: transaction)
        if let kept = snapshot.withLock({ $0 }), kept.position == position { return kept.nodes }
        let nodes = try NodeStore.all(in: transaction, tables: tables)
        snapshot.withLock { $0 = (position, nodes) }
        return nodes
    }
}
