import Foundation

/// Everything that can happen to a deploy template. Case names are distinct from
/// ``NodeEvent``'s and ``AllocationEvent``'s, so payloads can not be mistaken for each other.
public enum DeployTemplateEvent: RecordEvent {
    /// The template was created with these fields.
    case deployTemplateCreated(template: DeployTemplate)
    /// Fields changed (PATCH): `name`, `steps` or `extra`, by wire name, with their new values.
    case deployTemplateUpdated(changes: [String: JSONValue])
    /// The template was deleted; its stream ends here.
    case deployTemplateDeleted

    /// The schema version of every deploy template event's payload.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log.
    public var typeName: String {
        switch self {
        case .deployTemplateCreated: "DeployTemplateCreated"
        case .deployTemplateUpdated: "DeployTemplateUpdated"
        case .deployTemplateDeleted: "DeployTemplateDeleted"
        }
    }
}

/// Folds deploy template events: pure and total.
public enum DeployTemplateEvolution {
    /// The template after `event`, recorded at `time`; `nil` once deleted. Changes that would not
    /// decode leave it as it was.
    public static func evolve(_ state: DeployTemplate?, _ event: DeployTemplateEvent, at time: Int64) -> DeployTemplate? {
        switch event {
        case .deployTemplateCreated(var template):
            template.createdAt = time
            return template
        case .deployTemplateUpdated(let changes):
            guard let template = state, var updated = ResourcePatching.merging(changes, into: template) else { return state }
            updated.updatedAt = time
            return updated
        case .deployTemplateDeleted:
            return nil
        }
    }
}
