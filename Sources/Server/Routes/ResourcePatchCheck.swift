import Domain
import Foundation

/// The checks a JSON Patch on a node resource (port, port group, volume connector or target)
/// passes before the engine sees it: Ironic's shape, known fields, read-only fields refused with
/// 400, fields newer than the version refused with 406, and no move to another node (a resource
/// lives in its node's stream; naming its own node is allowed and does nothing).
enum ResourcePatchCheck {
    /// The operations left once those naming the resource's own node are dropped.
    static func check(_ patch: JSONValue, version: MicroVersion, node: UUID, kind: String,
                      fields: [String: Int], readOnly: Set<String>) throws -> [JSONValue] {
        guard case .array(let operations) = patch, !operations.isEmpty else {
            throw IronicError.badRequest("The request body must be a non-empty JSON Patch list of operations.")
        }
        var kept: [JSONValue] = []
        for operation in operations {
            guard case .object(let members) = operation else { throw IronicError.badRequest("Each patch operation must be an object.") }
            guard case .string(let op)? = members["op"], NodeRoutes.operations.contains(op) else {
                throw IronicError.badRequest("Invalid patch operation: the operation must be add, replace or remove.")
            }
            guard case .string(let path)? = members["path"], NodeRoutes.isValid(path: path, version: version) else {
                throw IronicError.badRequest("Invalid patch path: it must look like /field or /field/key.")
            }
            if op != "remove", members["value"] == nil { throw IronicError.badRequest("The patch operation \"\(op)\" on \(path) needs a value.") }
            let field = String(path.dropFirst().split(separator: "/").first ?? "")
            guard let minor = fields[field] else { throw IronicError.badRequest("The attribute \(path) does not exist on a \(kind).") }
            guard version.allows(minor) else { throw IronicError.needsVersion("The field \"\(field)\"", minor, requested: version) }
            if readOnly.contains(field) { throw IronicError.badRequest("The attribute \(path) can not be changed.") }
            if field == "node_uuid" {
                guard op == "replace", case .string(let text)? = members["value"], Identifier.uuidLike(text) == node else {
                    throw IronicError.badRequest("A \(kind) can not be moved to another node; delete it and create it on the other node.")
                }
                continue
            }
            kept.append(operation)
        }
        return kept
    }
}
