import Foundation

/// Everything that can happen to a runbook. Case names are distinct from every other event
/// kind's, so payloads can not be mistaken for each other.
public enum RunbookEvent: RecordEvent {
    /// The runbook was created with these fields.
    case runbookCreated(runbook: Runbook)
    /// Fields changed (PATCH, or its traits replaced), by wire name, with their new values.
    case runbookUpdated(changes: [String: JSONValue])
    /// The runbook was deleted; its stream ends here.
    case runbookDeleted

    /// The schema version of every runbook event's payload.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log.
    public var typeName: String {
        switch self {
        case .runbookCreated: "RunbookCreated"
        case .runbookUpdated: "RunbookUpdated"
        case .runbookDeleted: "RunbookDeleted"
        }
    }
}

/// Folds runbook events: pure and total.
public enum RunbookEvolution {
    /// The runbook after `event`, recorded at `time`; `nil` once deleted. Changes that would not
    /// decode leave it as it was.
    public static func evolve(_ state: Runbook?, _ event: RunbookEvent, at time: Int64) -> Runbook? {
        switch event {
        case .runbookCreated(var runbook):
            runbook.createdAt = time
            return runbook
        case .runbookUpdated(let changes):
            guard let runbook = state, var updated = ResourcePatching.merging(changes, into: runbook) else { return state }
            updated.updatedAt = time
            return updated
        case .runbookDeleted:
            return nil
        }
    }
}
