import Domain
import Foundation

/// The chassis fields (all from 1.1) and how a chassis is shown, with its `links` and, when shown
/// whole, its `nodes` link.
struct ChassisRepresentation {
    /// Every field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = ["uuid": 1, "description": 1, "extra": 1, "created_at": 1, "updated_at": 1]
    /// What a list shows without `detail` or `fields` (plus `links`).
    static let listDefault = ["uuid", "description"]
    /// Fields that can not be sorted on.
    static let structured: Set<String> = ["extra"]
    /// Fields PATCH may not change.
    static let readOnly: Set<String> = ["uuid", "created_at", "updated_at"]

    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String

    /// The chassis' document: `fields` if given (plus `links`), else every field and the `nodes` link.
    func document(_ chassis: Chassis, fields: [String]? = nil) -> JSONValue {
        let values = Self.values(chassis)
        var document: [String: JSONValue] = [:]
        for name in fields ?? Self.introduced.keys.sorted() { document[name] = values[name] ?? .null }
        let path = "chassis/\(chassis.uuid.lowercased)"
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: path)
        if fields == nil { document["nodes"] = ResourceLinks.pair(baseURL: baseURL, path: path + "/nodes") }
        return .object(document)
    }

    /// Every field of the chassis by wire name.
    static func values(_ chassis: Chassis) -> [String: JSONValue] {
        [
            "uuid": .string(chassis.uuid.lowercased), "description": chassis.description.map(JSONValue.string) ?? .null,
            "extra": chassis.extra, "created_at": Timestamp.json(chassis.createdAt), "updated_at": Timestamp.json(chassis.updatedAt),
        ]
    }
}

extension ListedResource {
    /// Chassis (`/v1/chassis`): no filters.
    static let chassis = ListedResource(fields: ChassisRepresentation.introduced, structured: ChassisRepresentation.structured, filters: [:])
}
