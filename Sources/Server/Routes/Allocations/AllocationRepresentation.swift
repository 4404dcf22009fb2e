import Domain
import Foundation

/// An allocation as Ironic's API shows it at one microversion, with its `links`.
struct AllocationRepresentation {
    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String
    /// The request's microversion.
    let version: MicroVersion

    /// The allocation's document: `fields` if given (plus `links`), else every field the version shows.
    func document(_ allocation: Allocation, fields: [String]? = nil) -> JSONValue {
        let values = Self.values(allocation)
        var document: [String: JSONValue] = [:]
        for name in fields ?? AllocationFieldVersions.fields(at: version) {
            guard let minor = AllocationFieldVersions.introduced[name], version.allows(minor) else { continue }
            document[name] = values[name] ?? .null
        }
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: "allocations/\(allocation.uuid.lowercased)")
        return .object(document)
    }

    /// Every field of the allocation by wire name, whatever the version.
    static func values(_ allocation: Allocation) -> [String: JSONValue] {
        [
            "uuid": .string(allocation.uuid.lowercased), "name": allocation.name.map(JSONValue.string) ?? .null,
            "node_uuid": allocation.nodeUUID.map { .string($0.lowercased) } ?? .null,
            "state": .string(allocation.state.rawValue), "last_error": allocation.lastError.map(JSONValue.string) ?? .null,
            "resource_class": allocation.resourceClass.map(JSONValue.string) ?? .null,
            "traits": .array(allocation.traits.map(JSONValue.string)),
            "candidate_nodes": .array(allocation.candidateNodes.map { .string($0.lowercased) }),
            "extra": allocation.extra, "owner": allocation.owner.map(JSONValue.string) ?? .null,
            "created_at": Timestamp.json(allocation.createdAt), "updated_at": Timestamp.json(allocation.updatedAt),
        ]
    }
}
