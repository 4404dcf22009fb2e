import Foundation

/// Decides what a request means for an allocation: the events it causes, or Ironic's refusal.
/// Pure; the engine supplies what it looked up (candidate nodes resolved to UUIDs, the node an
/// allocation holds).
public enum AllocationDecider {
    /// The fields `POST /v1/allocations` may carry, once the engine has resolved node names.
    public struct Request: Sendable, Hashable {
        public var name: String?
        public var resourceClass: String?
        public var traits: [String]
        public var candidateNodes: [UUID]
        public var extra: JSONValue
        public var owner: String?

        /// A request with these fields.
        public init(name: String? = nil, resourceClass: String? = nil, traits: [String] = [], candidateNodes: [UUID] = [],
                    extra: JSONValue = .emptyObject, owner: String? = nil) {
            self.name = name
            self.resourceClass = resourceClass
            self.traits = traits
            self.candidateNodes = candidateNodes
            self.extra = extra
            self.owner = owner
        }
    }

    /// `POST /v1/allocations`: a new allocation in `allocating`. `backfilling` (1.58, a `node`
    /// given) makes the resource class optional.
    public static func create(uuid: UUID, _ request: Request, backfilling: Bool = false) throws(DomainError) -> [AllocationEvent] {
        if let name = request.name { try checkName(name, verb: "create") }
        if let resourceClass = request.resourceClass, resourceClass.count > 80 {
            throw .invalidField("resource_class", reason: "it is longer than 80 characters")
        }
        if (request.resourceClass ?? "").isEmpty, !backfilling {
            throw .invalidParameter("The resource_class field is mandatory when not backfilling")
        }
        for trait in request.traits {
            do { _ = try NodeTrait(trait) } catch { throw .invalidField("traits", reason: "\(error)") }
        }
        guard case .object = request.extra else { throw .invalidField("extra", reason: "it must be an object") }
        var allocation = Allocation(uuid: uuid)
        allocation.name = request.name
        allocation.resourceClass = request.resourceClass
        allocation.traits = request.traits
        allocation.candidateNodes = request.candidateNodes
        allocation.extra = request.extra
        allocation.owner = request.owner
        return [.allocationCreated(allocation: allocation)]
    }

    /// A node was reserved for the allocation.
    public static func choose(_ allocation: Allocation, node: UUID) throws(DomainError) -> [AllocationEvent] {
        guard allocation.state == .allocating else {
            throw .invalidState("Allocation \(allocation.uuid.lowercased) is \(allocation.state.rawValue), not allocating.")
        }
        return [.nodeChosen(node: node)]
    }

    /// No node could be reserved.
    public static func fail(_ allocation: Allocation, _ failure: AllocationFailure) -> [AllocationEvent] {
        [.allocationFailed(error: failure.description)]
    }

    /// `PATCH /v1/allocations/{id}` (1.57): only `name` and `extra` change.
    public static func update(_ allocation: Allocation, patch: JSONValue) throws(DomainError) -> [AllocationEvent] {
        let operations: JSONPatch
        do { operations = try JSONPatch(json: patch) } catch { throw .invalidParameter("\(error)") }
        for field in operations.touchedTopLevelFields where !patchable.contains(field) {
            throw .invalidParameter("Cannot update the field /\(field) of an allocation; patchable fields are: name, extra.")
        }
        let current: [String: JSONValue] = ["name": allocation.name.map(JSONValue.string) ?? .null, "extra": allocation.extra]
        let patched: JSONValue
        do { patched = try operations.apply(to: .object(current)) } catch { throw .invalidParameter("\(error)") }
        var changes: [String: JSONValue] = [:]
        for field in patchable.sorted() {
            let new = patched[field] ?? .null
            guard new != current[field] else { continue }
            switch (field, new) {
            case ("name", .null): break
            case ("name", .string(let name)): try checkName(name, verb: "update")
            case ("extra", .object): break
            case ("extra", .null): break
            default: throw .invalidField(field, reason: field == "name" ? "it must be a string" : "it must be an object")
            }
            changes[field] = new
        }
        return changes.isEmpty ? [] : [.allocationUpdated(changes: changes)]
    }

    /// `DELETE /v1/allocations/{id}`: refused while the node it holds is busy (Ironic's
    /// `verify_node_for_deallocation`) — unless the node is in maintenance.
    public static func delete(_ allocation: Allocation, node: Node?) throws(DomainError) -> [AllocationEvent] {
        if let node, !node.maintenance {
            if node.targetProvisionState != nil, !ProvisionState.updateAllowed.contains(node.provisionState) {
                throw .invalidState("Cannot remove allocation \(allocation.uuid.lowercased) for node \(node.uuid.lowercased), because the node is in state \(node.provisionState.rawValue) where updates are not allowed (and maintenance mode is off)")
            }
            if node.provisionState == .active {
                throw .invalidState("Cannot remove allocation \(allocation.uuid.lowercased) for node \(node.uuid.lowercased), because the node is active (and maintenance mode is off)")
            }
        }
        return [.allocationDeleted(node: node?.uuid)]
    }

    /// The fields PATCH may change.
    public static let patchable: Set<String> = ["name", "extra"]

    private static func checkName(_ name: String, verb: String) throws(DomainError) {
        guard NodeName.isLogicalName(name) else { throw .invalidParameter("Cannot \(verb) allocation with invalid name '\(name)'") }
    }
}
