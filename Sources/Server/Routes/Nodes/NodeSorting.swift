import Domain
import Foundation

/// Orders nodes for a list: by `sort_key` (`id` = creation order), UUID breaking ties, and
/// `null` before any value, as Ironic's database orders them.
enum NodeSorting {
    /// `nodes` sorted by `key`, reversed if `descending`.
    static func sorted(_ nodes: [NodeAggregate], key: String, descending: Bool, representation: NodeRepresentation) -> [NodeAggregate] {
        let keyed: [(JSONValue, NodeAggregate)] = nodes.map { aggregate in
            if key == "id" { return (.number(Double(aggregate.node.createdAt)), aggregate) }
            return (representation.allValues(aggregate)[key] ?? .null, aggregate)
        }
        let ascending = keyed.sorted { lhs, rhs in
            let order = compare(lhs.0, rhs.0)
            return order != 0 ? order < 0 : lhs.1.uuid.uuidString < rhs.1.uuid.uuidString
        }.map(\.1)
        return descending ? ascending.reversed() : ascending
    }

    /// -1, 0 or 1: null < booleans < numbers < strings; structured values compare equal.
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int {
        func rank(_ value: JSONValue) -> Int {
            switch value {
            case .null: 0
            case .bool: 1
            case .number: 2
            case .string: 3
            default: 4
            }
        }
        switch (lhs, rhs) {
        case let (.bool(a), .bool(b)): return a == b ? 0 : (!a ? -1 : 1)
        case let (.number(a), .number(b)): return a == b ? 0 : (a < b ? -1 : 1)
        case let (.string(a), .string(b)): return a == b ? 0 : (a < b ? -1 : 1)
        default: return rank(lhs) == rank(rhs) ? 0 : (rank(lhs) < rank(rhs) ? -1 : 1)
        }
    }
}
