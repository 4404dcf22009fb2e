import Domain
import EventStore
import Foundation

/// The fleet as the node-state projection sees it: what `decide` asks about other nodes, and the
/// same questions inside the writer's transaction (``NodeUniquenessCondition``).
public struct ProjectedFleet: FleetLookup {
    let tables: NodeTables
    let store: LMDBEventStore

    /// A view that reads committed state from `store`.
    public init(store: LMDBEventStore, tables: NodeTables) {
        self.tables = tables
        self.store = store
    }

    private func lookup(_ key: [UInt8], _ database: Database) -> [UInt8]? {
        (try? store.read { try $0.value(forKey: key, in: database) }) ?? nil
    }

    public func node(named name: String) -> UUID? {
        lookup(Array(name.utf8), tables.names).flatMap { NodeTables.uuid($0) }
    }

    public func owner(ofMAC address: String) -> UUID? {
        lookup(Array(address.utf8), tables.macs).flatMap { NodeTables.uuid($0, at: 16) }
    }

    public func owner(ofPortName name: String) -> UUID? {
        lookup(Array(name.utf8), tables.portNames).flatMap { NodeTables.uuid($0, at: 16) }
    }

    public func volumeConnector(type: String, connectorID: String) -> UUID? {
        lookup(NodeTables.connectorKey(type: type, id: connectorID), tables.connectors).flatMap { NodeTables.uuid($0, at: 16) }
    }

    public func node(owning resource: UUID) -> UUID? {
        lookup(NodeTables.key(resource), tables.resources).flatMap { NodeTables.uuid($0) }
    }
}

/// Re-checks, inside the writer's transaction, that the unique values a node's new state claims
/// (name, MACs, port names, connectors) are not held by another node — so two requests racing for
/// the same name cannot both win.
public struct NodeUniquenessCondition: AppendCondition {
    /// What the refusal says.
    public struct Conflict: Error, Sendable, Equatable {
        public let error: DomainError
    }

    let tables: NodeTables
    let node: UUID
    let claims: NodeIndexes.Entries

    /// The condition for `node` about to reach state `after`.
    public init(tables: NodeTables, node: UUID, after: NodeAggregate?) {
        self.tables = tables
        self.node = node
        self.claims = NodeIndexes.entries(of: after)
    }

    public func check(_ transaction: ReadTransaction) throws {
        let mine = NodeTables.key(node)
        for (key, _) in claims.names {
            if let owner = try transaction.value(forKey: key, in: tables.names), owner != mine {
                throw DomainError.duplicateName(String(decoding: key, as: UTF8.self))
            }
        }
        for (key, _) in claims.macs {
            if let owner = try transaction.value(forKey: key, in: tables.macs), Array(owner.prefix(16)) != mine {
                throw DomainError.duplicateMAC(String(decoding: key, as: UTF8.self))
            }
        }
        for (key, _) in claims.portNames {
            if let owner = try transaction.value(forKey: key, in: tables.portNames), Array(owner.prefix(16)) != mine {
                throw DomainError.duplicatePortName(String(decoding: key, as: UTF8.self))
            }
        }
        for (key, _) in claims.connectors {
            if let owner = try transaction.value(forKey: key, in: tables.connectors), Array(owner.prefix(16)) != mine {
                let parts = key.split(separator: 0, maxSplits: 1).map { String(decoding: $0, as: UTF8.self) }
                throw DomainError.duplicateVolumeConnector(type: parts.first ?? "", connectorID: parts.count > 1 ? parts[1] : "")
            }
        }
    }
}
