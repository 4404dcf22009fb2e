import Foundation

/// Ironic's rules for inspection rules (`validation.py`): at least one action; conditions and
/// actions each name a built-in operator or action with the arguments it takes; `phase` is
/// `main`; `priority` 0–9999; a sensitive rule can not be made insensitive.
public enum InspectionRuleDecider {
    /// The members a body may set.
    public static let writableFields: Set<String> = ["description", "phase", "priority", "sensitive", "conditions", "actions"]
    /// The phases rules run in.
    public static let phases = ["main"]

    /// `POST /v1/inspection_rules`: the body's fields by wire name (`uuid` already taken out).
    public static func create(uuid: UUID, fields: [String: JSONValue]) throws(DomainError) -> [InspectionRuleEvent] {
        for key in fields.keys.sorted() where !writableFields.contains(key) {
            throw .invalidField(key, reason: "it is not a field of an inspection rule")
        }
        return [.inspectionRuleCreated(rule: try rule(uuid: uuid, from: .object(fields)))]
    }

    /// `PATCH /v1/inspection_rules/{uuid}`: a JSON Patch on the writable fields; the result is
    /// validated as a new rule would be.
    public static func update(_ rule: InspectionRule, patch: JSONValue) throws(DomainError) -> [InspectionRuleEvent] {
        let operations: JSONPatch
        do { operations = try JSONPatch(json: patch) } catch { throw .invalidParameter("\(error)") }
        for field in operations.touchedTopLevelFields where !writableFields.contains(field) {
            throw .invalidParameter("The attribute /\(field) of an inspection rule can not be patched; patchable attributes are: \(writableFields.sorted().joined(separator: ", ")).")
        }
        let before = document(rule)
        let patched: JSONValue
        do { patched = try operations.apply(to: before) } catch { throw .invalidParameter("\(error)") }
        var updated = try self.rule(uuid: rule.uuid, from: patched)
        updated.createdAt = rule.createdAt
        if rule.sensitive, !updated.sensitive {
            throw .invalidParameter("Inspection rules cannot have the sensitive flag unset.")
        }
        let after = document(updated)
        var changes: [String: JSONValue] = [:]
        for field in writableFields where before[field] != after[field] { changes[field] = after[field] ?? .null }
        return changes.isEmpty ? [] : [.inspectionRuleUpdated(changes: changes)]
    }

    /// `DELETE /v1/inspection_rules/{uuid}`.
    public static func delete(_ rule: InspectionRule) -> [InspectionRuleEvent] { [.inspectionRuleDeleted] }

    /// The writable fields of `rule` as the patch document sees them.
    static func document(_ rule: InspectionRule) -> JSONValue {
        [
            "description": rule.description.map(JSONValue.string) ?? .null, "phase": .string(rule.phase),
            "priority": .number(Double(rule.priority)), "sensitive": .bool(rule.sensitive),
            "conditions": .array(rule.conditions), "actions": .array(rule.actions),
        ]
    }

    private static func rule(uuid: UUID, from document: JSONValue) throws(DomainError) -> InspectionRule {
        var errors: [String] = []
        var rule = InspectionRule(uuid: uuid, actions: [])
        switch document["description"] {
        case nil, .null?: break
        case .string(let text)? where text.count <= 255: rule.description = text
        default: errors.append("description must be a string of at most 255 characters")
        }
        switch document["phase"] {
        case nil, .null?: break
        case .string(let phase)? where phases.contains(phase): rule.phase = phase
        case .string(let phase)?: errors.append("Invalid phase: \(phase). Valid phases are: \(phases.joined(separator: ", "))")
        default: errors.append("phase must be a string")
        }
        switch document["priority"] {
        case nil, .null?: break
        case .number(let number)? where number == number.rounded() && number >= 0 && number <= 9999: rule.priority = Int(number)
        case .number?: errors.append("Priority must be between 0 and 9999 for user-defined rules.")
        default: errors.append("priority must be an integer")
        }
        switch document["sensitive"] {
        case nil, .null?: break
        case .bool(let flag)?: rule.sensitive = flag
        default: errors.append("sensitive must be a boolean")
        }
        switch document["conditions"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                do { rule.conditions.append(try condition(item)) } catch { errors.append(error.description) }
            }
        default: errors.append("conditions must be a list")
        }
        switch document["actions"] {
        case nil, .null?: errors.append("Missing parameter: actions")
        case .array(let items)? where items.isEmpty: errors.append("actions must have at least one action")
        case .array(let items)?:
            for item in items {
                do { rule.actions.append(try action(item)) } catch { errors.append(error.description) }
            }
        default: errors.append("actions must be a list")
        }
        if errors.count == 1 { throw .invalidParameter("Validation failed for inspection rule: \(errors[0])") }
        if errors.count > 1 { throw .invalidParameter("Multiple validation errors occurred: \(errors.joined(separator: "; "))") }
        return rule
    }

    /// A condition, normalised: `op` (perhaps `!op`), `args`, and `invert`, `loop`, `multiple` if given.
    static func condition(_ item: JSONValue) throws(InspectionRuleArgumentError) -> JSONValue {
        guard case .object(let members) = item else { throw InspectionRuleArgumentError("each condition must be an object") }
        guard case .string(let op)? = members["op"] else { throw InspectionRuleArgumentError("each condition needs an \"op\"") }
        guard let args = members["args"] else { throw InspectionRuleArgumentError("condition \(op) needs \"args\"") }
        let name = op.hasPrefix("!") ? String(op.dropFirst()) : op
        guard let signature = InspectionRuleOperators.conditions[name] else {
            throw InspectionRuleArgumentError("Unsupported condition operator: \(name); supported: \(InspectionRuleOperators.conditions.keys.sorted().joined(separator: ", "))")
        }
        for key in members.keys.sorted() where !["op", "args", "invert", "loop", "multiple"].contains(key) {
            throw InspectionRuleArgumentError("condition \(op) has an unexpected member \"\(key)\"")
        }
        do { _ = try InspectionRuleOperators.normalized(args, signature) } catch {
            throw InspectionRuleArgumentError("Invalid parameters for condition operator \(name): \(error.description)")
        }
        var result: [String: JSONValue] = ["op": .string(op), "args": args]
        switch members["invert"] {
        case nil, .null?: break
        case .bool(let flag)?: if flag { result["invert"] = true }
        default: throw InspectionRuleArgumentError("invert must be a boolean")
        }
        if let loop = members["loop"], loop != .null {
            guard loop.arrayValue != nil || loop.objectValue != nil else { throw InspectionRuleArgumentError("loop must be a list or an object") }
            result["loop"] = loop
        }
        if let multiple = members["multiple"], multiple != .null {
            guard let value = multiple.stringValue, ["any", "all", "first", "last"].contains(value) else {
                throw InspectionRuleArgumentError("multiple must be one of any, all, first, last")
            }
            result["multiple"] = multiple
        }
        return .object(result)
    }

    /// An action, normalised: `op`, `args`, and `loop` if given.
    static func action(_ item: JSONValue) throws(InspectionRuleArgumentError) -> JSONValue {
        guard case .object(let members) = item else { throw InspectionRuleArgumentError("each action must be an object") }
        guard case .string(let op)? = members["op"] else { throw InspectionRuleArgumentError("each action needs an \"op\"") }
        guard let args = members["args"] else { throw InspectionRuleArgumentError("action \(op) needs \"args\"") }
        guard let signature = InspectionRuleOperators.actions[op] else {
            throw InspectionRuleArgumentError("Unsupported action operator: \(op); supported: \(InspectionRuleOperators.actions.keys.sorted().joined(separator: ", "))")
        }
        for key in members.keys.sorted() where !["op", "args", "loop"].contains(key) {
            throw InspectionRuleArgumentError("action \(op) has an unexpected member \"\(key)\"")
        }
        do { _ = try InspectionRuleOperators.normalized(args, signature) } catch {
            throw InspectionRuleArgumentError("Invalid parameters for action operator \(op): \(error.description)")
        }
        var result: [String: JSONValue] = ["op": .string(op), "args": args]
        if let loop = members["loop"], loop != .null {
            guard loop.arrayValue != nil || loop.objectValue != nil else { throw InspectionRuleArgumentError("loop must be a list or an object") }
            result["loop"] = loop
        }
        return .object(result)
    }
}
