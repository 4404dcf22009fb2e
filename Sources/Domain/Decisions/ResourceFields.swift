import Foundation

/// Building and patching ports, port groups and volume resources from their wire fields.
enum ResourceFields {
    /// `template` (a resource with every default) overlaid with `fields`, restricted to `allowed`.
    static func create<Resource: Codable>(from template: Resource, kind: String, fields: [String: JSONValue],
                                          allowed: Set<String>, required: [String]) throws(DomainError) -> Resource {
        for name in fields.keys where !allowed.contains(name) {
            throw .invalidField(name, reason: "it is not a field a \(kind) can be created with")
        }
        for name in required where fields[name] == nil || fields[name] == .null { throw .missingParameter(name) }
        do {
            guard case .object(var members) = try ResourcePatching.document(of: template) else { throw DomainError.invalidParameter("Invalid \(kind)") }
            for (name, value) in fields { members[name] = value }
            return try ResourcePatching.decode(Resource.self, from: .object(members))
        } catch let error as DomainError {
            throw error
        } catch {
            throw .invalidParameter("Invalid \(kind): \(describe(error))")
        }
    }

    /// The changed fields after applying `patch` to `resource`'s patchable fields.
    static func changes<Resource: Codable & Equatable>(applying patch: JSONValue, to resource: Resource, kind: String,
                                                       patchable: Set<String>) throws(DomainError) -> (changes: [String: JSONValue], result: Resource) {
        let operations: JSONPatch
        do { operations = try JSONPatch(json: patch) } catch { throw .invalidParameter("\(error)") }
        for name in operations.touchedTopLevelFields where !patchable.contains(name) {
            throw .invalidParameter("The attribute /\(name) of a \(kind) can not be patched; patchable attributes are: \(patchable.sorted().joined(separator: ", ")).")
        }
        let document: JSONValue
        do { document = try ResourcePatching.document(of: resource) } catch { throw .invalidParameter("\(error)") }
        guard case .object(var members) = document else { throw .invalidParameter("not an object") }
        for name in patchable where members[name] == nil { members[name] = .null }
        let patched: JSONValue
        do { patched = try operations.apply(to: .object(members)) } catch { throw .invalidParameter("\(error)") }
        guard case .object(let result) = patched else { throw .invalidParameter("The patch does not leave an object.") }
        var changes: [String: JSONValue] = [:]
        for name in patchable where (result[name] ?? .null) != (members[name] ?? .null) {
            changes[name] = result[name] ?? .null
            try checkDepth(result[name] ?? .null, field: name)
        }
        let updated: Resource
        do { updated = try ResourcePatching.decode(Resource.self, from: patched) } catch {
            throw .invalidParameter("Invalid \(kind): \(describe(error))")
        }
        return (changes, updated)
    }

    /// Refuses a field value nesting deeper than `JSONValue.maximumClientDepth` (a patch can build
    /// one level by level, each operation small).
    static func checkDepth(_ value: JSONValue, field: String) throws(DomainError) {
        let depth = value.nestingDepth
        guard depth <= JSONValue.maximumClientDepth else {
            throw .invalidField(field, reason: "it nests \(depth) levels deep; at most \(JSONValue.maximumClientDepth) are accepted")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "\(path.isEmpty ? "" : path + ": ")\(context.debugDescription)"
        case .keyNotFound(let key, _)?:
            return "\(key.stringValue) is required"
        default:
            return "\(error)"
        }
    }
}
