import Domain
import EventStore
import Foundation

/// Node state, kept inline: each node's aggregate (everything `GET /v1/nodes/{id}` and its
/// ports, port groups and volume resources show) and the fleet-wide unique indexes, written in
/// the same transaction as the events and before they are acknowledged.
public struct NodeStateProjection: InlineProjection {
    /// The checkpoint name; the checkpoint is written with the rows.
    public static let checkpointName = "proj/nodes"

    public let tables: NodeTables
    let store: LMDBEventStore

    /// The projection over `tables` in `store`.
    public init(tables: NodeTables, store: LMDBEventStore) {
        self.tables = tables
        self.store = store
    }

    public func apply(_ events: [RecordedEvent], in transaction: WriteTransaction) throws {
        var touched: [UUID: (before: NodeAggregate?, after: NodeAggregate?)] = [:]
        var order: [UUID] = []
        for recorded in events {
            guard let uuid = NodeStream.node(of: recorded.streamID),
                  let event = try? NodeEvent.decode(payload: recorded.payload) else { continue }
            let current: NodeAggregate?
            if let seen = touched[uuid] {
                current = seen.after
            } else {
                current = try NodeStore.aggregate(uuid, in: transaction.reader, tables: tables)
                order.append(uuid)
                touched[uuid] = (current, current)
            }
            var after = NodeEvolution.evolve(current, event, at: recorded.recordedAtMicroseconds)
            after?.version = recorded.streamVersion
            touched[uuid]!.after = after
        }
        for uuid in order {
            let (before, after) = touched[uuid]!
            guard before != after else { continue }
            try NodeIndexes.update(node: uuid, from: before, to: after, in: transaction, tables: tables)
            if let after, !after.deleted {
                let bytes = try NodeStore.encode(after)
                try transaction.put(bytes, forKey: NodeTables.key(uuid), in: tables.nodes)
                tables.decoded.remember(uuid, bytes: bytes, aggregate: after)
            } else {
                try transaction.delete(NodeTables.key(uuid), in: tables.nodes)
            }
        }
        if let last = events.last {
            try store.saveCheckpoint(named: Self.checkpointName, position: last.position, in: transaction)
        }
    }
}

/// Reading and writing aggregates in `proj/nodes`.
public enum NodeStore {

    /// The stored aggregate of `uuid`, if the node exists.
    public static func aggregate(_ uuid: UUID, in transaction: ReadTransaction, tables: NodeTables) throws -> NodeAggregate? {
        try transaction.withValue(forKey: NodeTables.key(uuid), in: tables.nodes) { bytes in
            try bytes.map { try tables.decoded.aggregate(uuid, bytes: $0) }
        }
    }

    /// The deterministic bytes of an aggregate (JSON, keys sorted).
    public static func encode(_ aggregate: NodeAggregate) throws -> [UInt8] {
        try JSONValueEncoder().encode(aggregate)
    }

    /// Every node, in UUID byte order.
    public static func all(in transaction: ReadTransaction, tables: NodeTables) throws -> [NodeAggregate] {
        var result: [NodeAggregate] = []
        try transaction.forEach(in: tables.nodes) { key, value in
            let uuid = UUID(uuid: key.loadUnaligned(as: uuid_t.self))
            result.append(try tables.decoded.aggregate(uuid, bytes: value))
            return true
        }
        return result
    }
}
