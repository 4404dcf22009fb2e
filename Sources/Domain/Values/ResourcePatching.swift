import Foundation

/// Field changes on ports, port groups and volume resources, applied through their JSON form:
/// their coding keys are Ironic's wire names, so a change is "this field now has this value".
public enum ResourcePatching {
    /// `resource` with `changes` merged into its JSON form, or `nil` if the result is not a valid
    /// resource (a value of the wrong type).
    public static func merging<Resource: Codable>(_ changes: [String: JSONValue], into resource: Resource) -> Resource? {
        guard case .object(var members) = try? document(of: resource) else { return nil }
        for (field, value) in changes { members[field] = value }
        return try? decode(Resource.self, from: .object(members))
    }

    /// The resource as a JSON document.
    public static func document<Resource: Encodable>(of resource: Resource) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(resource))
    }

    /// A resource decoded from a JSON document.
    public static func decode<Resource: Decodable>(_ type: Resource.Type, from document: JSONValue) throws -> Resource {
        try JSONDecoder().decode(type, from: JSONEncoder().encode(document))
    }
}
