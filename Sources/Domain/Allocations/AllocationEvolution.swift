import Foundation

/// Folds allocation events into an ``Allocation``: pure and total, as ``NodeEvolution`` is.
public enum AllocationEvolution {
    /// The allocation after `event`, recorded at `time` (µs since 1970); `nil` once deleted.
    /// An event that does not fit the state leaves it as it was.
    public static func evolve(_ state: Allocation?, _ event: AllocationEvent, at time: Int64) -> Allocation? {
        if case .allocationCreated(var allocation) = event {
            allocation.createdAt = time
            return allocation
        }
        guard var allocation = state else { return nil }
        switch event {
        case .allocationCreated:
            break
        case .nodeChosen(let node):
            allocation.nodeUUID = node
            allocation.state = .active
            allocation.lastError = nil
        case .allocationFailed(let error):
            allocation.nodeUUID = nil
            allocation.state = .error
            allocation.lastError = error
        case .allocationUpdated(let changes):
            for (name, value) in changes {
                switch name {
                case "name": allocation.name = value.stringValue
                case "extra": allocation.extra = value.objectValue.map(JSONValue.object) ?? .emptyObject
                default: continue
                }
            }
        case .allocationDeleted:
            return nil
        }
        allocation.updatedAt = time
        return allocation
    }
}
