import Foundation

/// Applies a JSON Patch to a node the way Ironic does: on the document of its patchable fields,
/// refusing paths outside them, then re-validating every changed field.
enum NodePatching {
    /// The changed fields (wire name → new value) after applying `patch`; empty if nothing changed.
    static func changes(applying patch: JSONValue, to node: Node) throws(DomainError) -> [String: JSONValue] {
        let operations: JSONPatch
        do { operations = try JSONPatch(json: patch) } catch { throw .invalidParameter("\(error)") }
        var members: [String: JSONValue] = [:]
        for field in NodeField.patchable { members[field.name] = field.value(in: node) }
        for name in operations.touchedTopLevelFields {
            guard let field = NodeField(name: name), NodeField.patchable.contains(field) else {
                if name == "traits" { throw .invalidParameter("Cannot update node traits via node patch. Node traits should be updated via the node traits API.") }
                throw .invalidParameter("The attribute /\(name) can not be patched; patchable attributes are: \(NodeField.patchable.map(\.name).sorted().joined(separator: ", ")).")
            }
        }
        let patched: JSONValue
        do { patched = try operations.apply(to: .object(members)) } catch { throw .invalidParameter("\(error)") }
        guard case .object(let result) = patched else { throw .invalidParameter("The patch does not leave an object.") }
        var changes: [String: JSONValue] = [:]
        var candidate = node
        for field in NodeField.patchable {
            let new = result[field.name] ?? .null
            guard new != field.value(in: node) else { continue }
            try ResourceFields.checkDepth(new, field: field.name)
            try field.set(new, in: &candidate)
            changes[field.name] = field.value(in: candidate)
        }
        if !operations.touchedTopLevelFields.contains(NodeField.instanceName.name),
           let name = displayNameChange(from: node.instanceInfo, to: candidate.instanceInfo), name != candidate.instanceName {
            candidate.instanceName = name
            changes[NodeField.instanceName.name] = NodeField.instanceName.value(in: candidate)
        }
        return changes
    }

    /// `instance_info.display_name` when a patch changes it to a string: `instance_name` (API
    /// 1.104) follows it unless the same patch sets `instance_name` itself, as Ironic keeps the
    /// two in step for Nova, which writes only the former.
    static func displayNameChange(from old: JSONValue, to new: JSONValue) -> String? {
        guard let name = new["display_name"]?.stringValue, old["display_name"]?.stringValue != name else { return nil }
        return name
    }
}

extension Node {
    /// The fields `patch` would change (wire name → new value), checked as an update checks them,
    /// without deciding anything: for callers that must look at the result first (the conductor
    /// checks a changed driver and interfaces against its hardware types).
    public func changes(applying patch: JSONValue) throws(DomainError) -> [String: JSONValue] {
        try NodePatching.changes(applying: patch, to: self)
    }
}
