import Domain
import Foundation

/// `parent_node` (1.83) names another node by UUID or name; as in Ironic, it is stored as that
/// node's UUID, so `?parent_node=` and `/children` find the child however the parent was named.
/// A node that does not exist is 400.
enum NodeParent {
    /// The UUID of the node `ident` names.
    static func resolve(_ ident: String, api: NodeAPI, version: MicroVersion) throws -> String {
        do {
            return try api.lookup.node(ident: ident, version: version).uuid.lowercased
        } catch let error as DomainError {
            guard case .nodeNotFound = error else { throw error }
            throw IronicError.badRequest("Invalid parent_node \(ident): no such node.")
        }
    }

    /// A create body with its `parent_node` resolved.
    static func resolving(_ body: [String: JSONValue], api: NodeAPI, version: MicroVersion) throws -> [String: JSONValue] {
        guard case .string(let ident)? = body["parent_node"] else { return body }
        var body = body
        body["parent_node"] = .string(try resolve(ident, api: api, version: version))
        return body
    }

    /// A JSON Patch with the value of each operation on `/parent_node` resolved.
    static func resolving(_ patch: JSONValue, api: NodeAPI, version: MicroVersion) throws -> JSONValue {
        guard case .array(let operations) = patch else { return patch }
        return .array(try operations.map { operation in
            guard case .object(var members) = operation, members["path"] == .string("/parent_node"),
                  case .string(let ident)? = members["value"] else { return operation }
            members["value"] = .string(try resolve(ident, api: api, version: version))
            return .object(members)
        })
    }
}
