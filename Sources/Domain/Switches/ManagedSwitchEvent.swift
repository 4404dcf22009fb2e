import Foundation

/// Everything that can happen to a managed switch. Case names are distinct from every other
/// stream's events, so payloads can not be mistaken for each other.
public enum ManagedSwitchEvent: RecordEvent {
    /// The switch was registered with these fields.
    case switchCreated(managedSwitch: ManagedSwitch)
    /// The switch was deleted; its stream ends here.
    case switchDeleted

    /// The schema version of every switch event's payload.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log.
    public var typeName: String {
        switch self {
        case .switchCreated: "SwitchCreated"
        case .switchDeleted: "SwitchDeleted"
        }
    }
}

/// Folds switch events: pure and total.
public enum ManagedSwitchEvolution {
    /// The switch after `event`, recorded at `time`; `nil` once deleted.
    public static func evolve(_ state: ManagedSwitch?, _ event: ManagedSwitchEvent, at time: Int64) -> ManagedSwitch? {
        switch event {
        case .switchCreated(var managedSwitch):
            managedSwitch.createdAt = time
            return managedSwitch
        case .switchDeleted:
            return nil
        }
    }
}
