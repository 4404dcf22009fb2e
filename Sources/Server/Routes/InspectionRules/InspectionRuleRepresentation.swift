import Domain
import Foundation

/// The inspection rule fields (all from 1.96) and how a rule is shown, with its `links`: a
/// sensitive rule's `conditions` and `actions` show as `null`, as Ironic's do.
struct InspectionRuleRepresentation {
    /// Every field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = [
        "uuid": 96, "description": 96, "phase": 96, "priority": 96, "sensitive": 96, "conditions": 96, "actions": 96,
        "created_at": 96, "updated_at": 96,
    ]
    /// What a list shows without `detail` or `fields` (plus `links`).
    static let listDefault = ["uuid", "priority", "phase", "description"]
    /// Fields that can not be sorted on.
    static let structured: Set<String> = ["conditions", "actions"]
    /// Fields PATCH may not change.
    static let readOnly: Set<String> = ["uuid", "created_at", "updated_at"]

    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String

    /// The rule's document: `fields` if given (plus `links`), else every field.
    func document(_ rule: InspectionRule, fields: [String]? = nil) -> JSONValue {
        let values = Self.values(rule)
        var document: [String: JSONValue] = [:]
        for name in fields ?? Self.introduced.keys.sorted() { document[name] = values[name] ?? .null }
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: "inspection_rules/\(rule.uuid.lowercased)")
        return .object(document)
    }

    /// Every field of the rule by wire name, a sensitive rule's conditions and actions hidden.
    static func values(_ rule: InspectionRule) -> [String: JSONValue] {
        let actions: [JSONValue] = rule.actions.map { action in
            var shown = action.objectValue ?? [:]
            if shown["loop"] == nil { shown["loop"] = .array([]) }
            return .object(shown)
        }
        let conditions: [JSONValue] = rule.conditions.map { condition in
            var shown = condition.objectValue ?? [:]
            if shown["loop"] != nil, shown["multiple"] == nil { shown["multiple"] = "any" }
            return .object(shown)
        }
        return [
            "uuid": .string(rule.uuid.lowercased), "description": rule.description.map(JSONValue.string) ?? .null,
            "phase": .string(rule.phase), "priority": .number(Double(rule.priority)), "sensitive": .bool(rule.sensitive),
            "conditions": rule.sensitive ? .null : .array(conditions), "actions": rule.sensitive ? .null : .array(actions),
            "created_at": Timestamp.json(rule.createdAt), "updated_at": Timestamp.json(rule.updatedAt),
        ]
    }
}

extension ListedResource {
    /// Inspection rules (`/v1/inspection_rules`): filter `phase`.
    static let inspectionRules = ListedResource(fields: InspectionRuleRepresentation.introduced,
                                                structured: InspectionRuleRepresentation.structured, filters: ["phase": 96])
}
