/// The allocation fields Ironic shows, each with the microversion that first shows it;
/// allocations exist from 1.52, `owner` from 1.60.
enum AllocationFieldVersions {
    /// Every allocation field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = [
        "uuid": 52, "name": 52, "node_uuid": 52, "state": 52, "last_error": 52, "resource_class": 52, "traits": 52,
        "candidate_nodes": 52, "extra": 52, "created_at": 52, "updated_at": 52, "owner": 60,
    ]

    /// Fields that can not be sorted on (Ironic's `invalid_sort_key_list`).
    static let structured: Set<String> = ["extra", "candidate_nodes", "traits"]

    /// Fields PATCH may not change (all but `name` and `extra`).
    static let readOnly: Set<String> = Set(introduced.keys).subtracting(["name", "extra"])

    /// The fields shown at `version`.
    static func fields(at version: MicroVersion) -> [String] {
        introduced.filter { version.allows($0.value) }.map(\.key).sorted()
    }
}

extension ListedResource {
    /// Allocations (`/v1/allocations`).
    static let allocations = ListedResource(fields: AllocationFieldVersions.introduced, structured: AllocationFieldVersions.structured,
                                            filters: ["node": 52, "resource_class": 52, "state": 52, "owner": 60])
}
