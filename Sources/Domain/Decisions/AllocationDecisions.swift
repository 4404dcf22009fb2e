import Foundation

/// A node taken by an allocation: it must still match at the moment it is reserved.
enum AllocationDecisions {
    static func assign(_ aggregate: NodeAggregate, _ allocation: Allocation, backfill: Bool) throws(DomainError) -> [NodeEvent] {
        let node = aggregate.node
        if let held = node.allocationUUID {
            guard held != allocation.uuid else { return [] }
            throw .invalidState("Node \(node.uuid.lowercased) already has allocation \(held.lowercased).")
        }
        if let instance = node.instanceUUID, instance != allocation.uuid {
            throw .nodeAssociated(node: node.uuid, instance: instance)
        }
        if backfill {
            let problems = AllocationMatching.backfillProblems(node, for: allocation)
            if !problems.isEmpty {
                let reason = "Cannot backfill an allocation for node \(node.uuid.lowercased): \(problems.joined(separator: "; "))"
                throw .invalidParameter(AllocationFailure(allocation: allocation.uuid, reason: reason).description)
            }
        } else if !AllocationMatching.isSuitable(node, for: allocation) {
            throw .invalidState("Node \(node.uuid.lowercased) no longer matches allocation \(allocation.uuid.lowercased).")
        }
        return [.allocationAssigned(allocation: allocation.uuid, traits: allocation.traits)]
    }
}
