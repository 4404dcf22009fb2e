import Domain
import Engine
import Foundation
import Hummingbird
import Projections

/// Finds the node a URL names (`{node_ident}`), the way Ironic's `get_rpc_node` does: a UUID-like
/// ident is always a UUID; a name needs microversion 1.5 (before it, a name finds nothing: 404);
/// anything else is 400 `InvalidUuidOrName`.
struct NodeLookup {
    /// The conductor whose projection is read.
    let conductor: Conductor
    /// The decoded fleet, reused while the projection has not moved.
    var snapshot = FleetSnapshot()

    /// The node named by the route's `node_ident` parameter.
    func node(_ context: IronlogRequestContext) throws -> NodeAggregate {
        let ident = try context.parameters.require("node_ident")
        return try node(ident: ident, version: context.apiVersion)
    }

    /// The node `ident` names at `version`.
    func node(ident: String, version: MicroVersion) throws -> NodeAggregate {
        let uuid: UUID
        switch Identifier.parse(ident) {
        case .uuid(let parsed)?:
            uuid = parsed
        case .name(let name)?:
            guard version.allows(5), let found = fleet.node(named: name) else { throw DomainError.nodeNotFound(ident) }
            uuid = found
        case nil:
            if !version.allows(5) { throw DomainError.nodeNotFound(ident) }
            throw IronicError.badRequest("Expected a logical name or UUID but received \(ident).")
        }
        let found = try conductor.store.read { [conductor, snapshot] in
            try snapshot.node(uuid, in: $0, store: conductor.store, tables: conductor.projections.nodes.tables)
        }
        guard let aggregate = found, !aggregate.deleted else {
            throw DomainError.nodeNotFound(ident)
        }
        return aggregate
    }

    /// Every node, in no particular order.
    func all() throws -> [NodeAggregate] {
        try conductor.store.read { [conductor, snapshot] in
            try snapshot.nodes(in: $0, store: conductor.store, tables: conductor.projections.nodes.tables)
        }
    }

    /// The fleet's name index.
    var fleet: ProjectedFleet {
        ProjectedFleet(store: conductor.store, tables: conductor.projections.nodes.tables)
    }
}
