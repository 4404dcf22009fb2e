import Foundation

/// Everything that can happen to a chassis. Case names are distinct from every other stream's
/// events, so payloads can not be mistaken for each other.
public enum ChassisEvent: RecordEvent {
    /// The chassis was created with these fields.
    case chassisCreated(chassis: Chassis)
    /// Fields changed (PATCH): `description` or `extra`, by wire name, with their new values.
    case chassisUpdated(changes: [String: JSONValue])
    /// The chassis was deleted; its stream ends here.
    case chassisDeleted

    /// The schema version of every chassis event's payload.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log.
    public var typeName: String {
        switch self {
        case .chassisCreated: "ChassisCreated"
        case .chassisUpdated: "ChassisUpdated"
        case .chassisDeleted: "ChassisDeleted"
        }
    }
}

/// Folds chassis events: pure and total.
public enum ChassisEvolution {
    /// The chassis after `event`, recorded at `time`; `nil` once deleted. Changes that would not
    /// decode leave it as it was.
    public static func evolve(_ state: Chassis?, _ event: ChassisEvent, at time: Int64) -> Chassis? {
        switch event {
        case .chassisCreated(var chassis):
            chassis.createdAt = time
            return chassis
        case .chassisUpdated(let changes):
            guard let chassis = state, var updated = ResourcePatching.merging(changes, into: chassis) else { return state }
            updated.updatedAt = time
            return updated
        case .chassisDeleted:
            return nil
        }
    }
}
