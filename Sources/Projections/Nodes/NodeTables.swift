import Domain
import EventStore
import Foundation

/// The databases of the node-state projection.
///
/// - `proj/nodes`: node UUID (16 bytes) → the node's aggregate (JSON, keys sorted).
/// - `proj/node-names`: name → node UUID.
/// - `proj/macs`: MAC address → node UUID ‖ port or port group UUID.
/// - `proj/port-names`: port or port group name → node UUID ‖ its UUID.
/// - `proj/connectors`: connector type ‖ 0x00 ‖ connector id → node UUID ‖ connector UUID.
/// - `proj/resources`: port / port group / connector / target UUID → node UUID.
/// - `proj/port-bindings`: port or port group UUID → ``PortBindingRow`` (JSON).
/// - `proj/volume-attachments`: volume target or connector UUID → ``VolumeAttachmentRow`` (JSON).
public struct NodeTables: Sendable {
    /// Node UUID → aggregate.
    public let nodes: Database
    /// Node name → node UUID.
    public let names: Database
    /// MAC address → node and port (group).
    public let macs: Database
    /// Port (group) name → node and port (group).
    public let portNames: Database
    /// Connector type and id → node and connector.
    public let connectors: Database
    /// Port, group, connector or target UUID → node UUID.
    public let resources: Database
    /// Port (group) UUID → binding row.
    public let bindings: Database
    /// Volume target or connector UUID → attachment row.
    public let volumes: Database

    /// Every database of the projection, in a fixed order (for clearing and digests).
    /// Aggregates already decoded from `nodes`, by the bytes they came from.
    public let decoded = DecodedAggregates()

    public var all: [Database] { [nodes, names, macs, portNames, connectors, resources, bindings, volumes] }

    /// Opens (creating) the projection's databases in `store`.
    public static func open(in store: LMDBEventStore) async throws -> NodeTables {
        NodeTables(
            nodes: try await store.openDatabase(named: "proj/nodes"),
            names: try await store.openDatabase(named: "proj/node-names"),
            macs: try await store.openDatabase(named: "proj/macs"),
            portNames: try await store.openDatabase(named: "proj/port-names"),
            connectors: try await store.openDatabase(named: "proj/connectors"),
            resources: try await store.openDatabase(named: "proj/resources"),
            bindings: try await store.openDatabase(named: "proj/port-bindings"),
            volumes: try await store.openDatabase(named: "proj/volume-attachments")
        )
    }

    static func key(_ uuid: UUID) -> [UInt8] { withUnsafeBytes(of: uuid.uuid) { Array($0) } }

    static func uuid(_ bytes: [UInt8], at offset: Int = 0) -> UUID? {
        guard bytes.count >= offset + 16 else { return nil }
        return bytes.withUnsafeBytes { UUID(uuid: $0.loadUnaligned(fromByteOffset: offset, as: uuid_t.self)) }
    }

    static func pair(_ first: UUID, _ second: UUID) -> [UInt8] { key(first) + key(second) }

    static func connectorKey(type: String, id: String) -> [UInt8] { Array(type.utf8) + [0] + Array(id.utf8) }
}

/// The stream of a node and back.
public enum NodeStream {
    /// `node/<uuid>`, the stream that holds a node and its ports and volumes.
    public static func id(_ uuid: UUID) -> String { "node/" + uuid.lowercased }

    /// The node UUID of a stream id, if it is a node stream.
    public static func node(of streamID: String) -> UUID? {
        guard streamID.hasPrefix("node/") else { return nil }
        return UUID(canonical: streamID.dropFirst(5))
    }

    /// The node UUID of a stream id given as UTF-8 bytes, if it is a node stream.
    public static func node(ofStreamBytes streamID: UnsafeRawBufferPointer) -> UUID? {
        guard streamID.count == 41, streamID.starts(with: "node/".utf8) else { return nil }
        return UUID(canonicalUTF8: UnsafeRawBufferPointer(rebasing: streamID[5...]))
    }
}
