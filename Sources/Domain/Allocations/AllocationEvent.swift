import Foundation

/// Everything that can happen to an allocation, as facts in the past tense.
///
/// The case names are distinct from ``NodeEvent``'s, so that a payload in the log can never be
/// mistaken for a node event by a reader that tries the node decoder first.
public enum AllocationEvent: RecordEvent {
    /// The allocation was asked for (state `allocating`), with every field the request set.
    case allocationCreated(allocation: Allocation)
    /// A node was chosen and reserved: the allocation is `active`. The node's stream records
    /// ``NodeEvent/allocationAssigned(allocation:traits:)`` in the same append.
    case nodeChosen(node: UUID)
    /// No node could be reserved: the allocation is `error` with this `last_error`.
    case allocationFailed(error: String)
    /// `name` or `extra` changed (PATCH, 1.57), by wire name.
    case allocationUpdated(changes: [String: JSONValue])
    /// The allocation was deleted — by `DELETE`, or with its node (node deleted, instance torn
    /// down, `instance_uuid` removed). Its stream ends here.
    case allocationDeleted(node: UUID?)

    /// The schema version of every allocation event's payload.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log.
    public var typeName: String {
        switch self {
        case .allocationCreated: "AllocationCreated"
        case .nodeChosen: "AllocationNodeChosen"
        case .allocationFailed: "AllocationFailed"
        case .allocationUpdated: "AllocationUpdated"
        case .allocationDeleted: "AllocationDeleted"
        }
    }
}
