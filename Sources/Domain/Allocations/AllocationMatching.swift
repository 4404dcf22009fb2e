import Foundation

/// Which nodes can serve an allocation, by Ironic's conductor rules (`_candidate_nodes`,
/// `_verify_node`, backfilling). Pure: the random order comes from the generator passed in.
public enum AllocationMatching {
    /// The nodes to try for `allocation`, best first, or the reason none will do.
    ///
    /// A node qualifies when it is `available`, not in maintenance, has a known power state, has
    /// no instance, matches the resource class, is one of `candidate_nodes` if any are given, is
    /// owned or leased by the allocation's `owner` if it has one, and has every requested trait.
    /// The qualifying nodes are shuffled — so that concurrent allocations do not all try the same
    /// node first — and a node whose name equals the allocation's (1.79) goes first.
    public static func candidates(for allocation: Allocation, among nodes: [Node],
                                  using generator: inout some RandomNumberGenerator) -> Result<[Node], AllocationFailure> {
        let resourceClass = allocation.resourceClass ?? ""
        var found = nodes.filter { node in
            node.resourceClass == allocation.resourceClass && node.provisionState == .available && node.instanceUUID == nil
                && node.allocationUUID == nil && node.powerState != nil && !node.maintenance
                && (allocation.candidateNodes.isEmpty || allocation.candidateNodes.contains(node.uuid))
                && (allocation.owner == nil || node.owner == allocation.owner || node.lessee == allocation.owner)
        }
        if found.isEmpty {
            return .failure(AllocationFailure(allocation: allocation.uuid, reason: allocation.candidateNodes.isEmpty
                ? "no available nodes match the resource class \(resourceClass)"
                : "none of the requested nodes are available and match the resource class \(resourceClass)"))
        }
        if !allocation.traits.isEmpty {
            found = found.filter { hasTraits(allocation.traits, $0) }
            if found.isEmpty {
                return .failure(AllocationFailure(allocation: allocation.uuid,
                                                  reason: "no suitable nodes have the requested traits \(allocation.traits.joined(separator: ", "))"))
            }
        }
        // Sorted first so that the shuffle alone decides the order, whatever order the nodes came in.
        found.sort { $0.uuid.uuidString < $1.uuid.uuidString }
        found.shuffle(using: &generator)
        if let name = allocation.name, let index = found.firstIndex(where: { $0.name == name }) {
            found.insert(found.remove(at: index), at: 0)
        }
        return .success(found)
    }

    /// Whether `node` still serves `allocation` at the moment it is reserved (Ironic's
    /// `_verify_node`, plus: no other allocation holds it).
    public static func isSuitable(_ node: Node, for allocation: Allocation) -> Bool {
        !node.maintenance && node.instanceUUID == nil && node.allocationUUID == nil && node.provisionState == .available
            && node.resourceClass == allocation.resourceClass && hasTraits(allocation.traits, node)
    }

    /// Why `node` can not be backfilled into `allocation` (1.58); empty if it can. Backfilling
    /// records an allocation for a node that is already deployed, so the node must be `active`.
    public static func backfillProblems(_ node: Node, for allocation: Allocation) -> [String] {
        var problems: [String] = []
        if node.provisionState != .active {
            problems.append("Node must be in the \"active\" state, but the current state is \"\(node.provisionState.rawValue)\"")
        }
        if let resourceClass = allocation.resourceClass, node.resourceClass != resourceClass {
            problems.append("Resource class \(node.resourceClass ?? "None") does not match the requested resource class \(resourceClass)")
        }
        if !hasTraits(allocation.traits, node) {
            problems.append("List of traits \(node.traits) does not match the requested traits \(allocation.traits)")
        }
        if !allocation.candidateNodes.isEmpty, !allocation.candidateNodes.contains(node.uuid) {
            problems.append("Candidate nodes must be empty or contain the target node, but got \(allocation.candidateNodes.map(\.lowercased))")
        }
        return problems
    }

    private static func hasTraits(_ traits: [String], _ node: Node) -> Bool {
        Set(node.traits).isSuperset(of: traits)
    }
}

/// Why an allocation found no node: Ironic's `AllocationFailed`, whose message becomes the
/// allocation's `last_error`.
public struct AllocationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The allocation that failed.
    public var allocation: UUID
    /// What went wrong, e.g. "no available nodes match the resource class baremetal".
    public var reason: String

    /// A failure of `allocation` for `reason`.
    public init(allocation: UUID, reason: String) {
        self.allocation = allocation
        self.reason = reason
    }

    /// `Failed to process allocation <uuid>: <reason>.`
    public var description: String { "Failed to process allocation \(allocation.lowercased): \(reason)." }
}
