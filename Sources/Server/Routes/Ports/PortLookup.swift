import Domain
import Engine
import Foundation
import Projections

/// Finds ports: by UUID through the fleet's resource index (which node owns it), by name from
/// microversion 1.88, and every port by walking the nodes.
struct PortLookup {
    /// Finds the nodes.
    let nodes: NodeLookup

    /// The port `ident` names at `version`, with its node's aggregate.
    func port(ident: String, version: MicroVersion) throws -> (port: Domain.Port, aggregate: NodeAggregate) {
        let notFound = DomainError.resourceNotFound(kind: "Port", id: ident)
        let owner: UUID?, uuid: UUID?
        switch Identifier.parse(ident) {
        case .uuid(let parsed)?:
            uuid = parsed
            owner = nodes.fleet.node(owning: parsed)
        case .name(let name)? where version.allows(88):
            uuid = nodes.fleet.owner(ofPortName: name)
            owner = uuid.flatMap { nodes.fleet.node(owning: $0) }
        default:
            if version.allows(88) { throw IronicError.badRequest("Expected a logical name or UUID but received \(ident).") }
            throw IronicError.badRequest("Invalid UUID: \(ident).")
        }
        guard let uuid, let owner, let aggregate = try nodes.conductor.commands.aggregate(owner), !aggregate.deleted,
              let port = aggregate.ports[uuid] else { throw notFound }
        return (port, aggregate)
    }

    /// Every port of every live node, in no particular order.
    func all() throws -> [Domain.Port] {
        try nodes.all().filter { !$0.deleted }.flatMap { Array($0.ports.values) }
    }
}
