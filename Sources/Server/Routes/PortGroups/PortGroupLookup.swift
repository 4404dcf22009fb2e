import Domain
import Foundation

/// Finds port groups: by UUID through the fleet's resource index, by name (port groups have had
/// names since 1.23), and every group by walking the nodes.
struct PortGroupLookup {
    /// Finds the nodes.
    let nodes: NodeLookup

    /// The group `ident` names, with its node's aggregate.
    func group(ident: String) throws -> (group: PortGroup, aggregate: NodeAggregate) {
        let uuid: UUID?
        switch Identifier.parse(ident) {
        case .uuid(let parsed)?: uuid = parsed
        case .name(let name)?: uuid = nodes.fleet.owner(ofPortName: name)
        case nil: throw IronicError.badRequest("Expected a logical name or UUID but received \(ident).")
        }
        guard let uuid, let owner = nodes.fleet.node(owning: uuid), let aggregate = try nodes.conductor.commands.aggregate(owner),
              !aggregate.deleted, let group = aggregate.portGroups[uuid] else {
            throw DomainError.resourceNotFound(kind: "Portgroup", id: ident)
        }
        return (group, aggregate)
    }

    /// Every group of every live node, in no particular order.
    func all() throws -> [PortGroup] {
        try nodes.all().filter { !$0.deleted }.flatMap { Array($0.portGroups.values) }
    }
}
