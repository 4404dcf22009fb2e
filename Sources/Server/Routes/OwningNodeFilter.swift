import Domain
import Foundation

/// The filters of port and port group lists that select by a field of the owning node rather than
/// of the resource: `shard` (ports 1.82, port groups 1.106) and `conductor_groups` (1.99), each a
/// comma-separated list of values, any of which matches.
enum OwningNodeFilter {
    /// The filter names this type answers.
    static let names: Set<String> = ["shard", "conductor_groups"]

    /// The UUIDs of the nodes `filter=value` selects among `nodes`. A conductor group is matched
    /// without regard to case, as Ironic stores them lowercased; an empty entry of
    /// `conductor_groups` selects the nodes in the default (empty) group.
    static func owners(_ filter: String, value: String, nodes: [NodeAggregate]) -> Set<UUID> {
        let wanted = value.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let selected: [NodeAggregate]
        switch filter {
        case "shard":
            let shards = Set(wanted.filter { !$0.isEmpty })
            selected = nodes.filter { $0.node.shard.map(shards.contains) ?? false }
        case "conductor_groups":
            let groups = Set(wanted.map { $0.lowercased() })
            selected = nodes.filter { groups.contains($0.node.conductorGroup.lowercased()) }
        default:
            selected = []
        }
        return Set(selected.filter { !$0.deleted }.map(\.uuid))
    }
}
