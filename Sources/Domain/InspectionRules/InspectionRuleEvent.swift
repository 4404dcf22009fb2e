import Foundation

/// Everything that can happen to an inspection rule. Case names are distinct from every other
/// event kind's, so payloads can not be mistaken for each other.
public enum InspectionRuleEvent: RecordEvent {
    /// The rule was created with these fields.
    case inspectionRuleCreated(rule: InspectionRule)
    /// Fields changed (PATCH), by wire name, with their new values.
    case inspectionRuleUpdated(changes: [String: JSONValue])
    /// The rule was deleted; its stream ends here.
    case inspectionRuleDeleted

    /// The schema version of every inspection rule event's payload.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log.
    public var typeName: String {
        switch self {
        case .inspectionRuleCreated: "InspectionRuleCreated"
        case .inspectionRuleUpdated: "InspectionRuleUpdated"
        case .inspectionRuleDeleted: "InspectionRuleDeleted"
        }
    }
}

/// Folds inspection rule events: pure and total.
public enum InspectionRuleEvolution {
    /// The rule after `event`, recorded at `time`; `nil` once deleted. Changes that would not
    /// decode leave it as it was.
    public static func evolve(_ state: InspectionRule?, _ event: InspectionRuleEvent, at time: Int64) -> InspectionRule? {
        switch event {
        case .inspectionRuleCreated(var rule):
            rule.createdAt = time
            return rule
        case .inspectionRuleUpdated(let changes):
            guard let rule = state, var updated = ResourcePatching.merging(changes, into: rule) else { return state }
            updated.updatedAt = time
            return updated
        case .inspectionRuleDeleted:
            return nil
        }
    }
}
