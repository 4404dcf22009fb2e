import Domain

/// A clean, deploy or service step an interface offers, as Ironic's decorated step methods are.
public struct Step: Sendable, Hashable {
    /// The interface kind that runs it.
    public let interface: HardwareInterfaceKind
    /// The step's name, e.g. `erase_devices_metadata`.
    public let name: String
    /// Default priority: steps run highest first; 0 means only when asked for by name.
    public let priority: Int
    /// Arguments (a JSON object).
    public let args: JSONValue
    /// Whether running it again after an interruption is harmless (it converges on the same
    /// result): recovery re-runs an interrupted step only if it is.
    public let repeatable: Bool
    /// Whether an abort may interrupt it.
    public let abortable: Bool

    public init(_ interface: HardwareInterfaceKind, _ name: String, priority: Int, args: JSONValue = .emptyObject,
                repeatable: Bool = true, abortable: Bool = false) {
        self.interface = interface
        self.name = name
        self.priority = priority
        self.args = args
        self.repeatable = repeatable
        self.abortable = abortable
    }

    /// The step as Ironic shows it (`clean_step`, `deploy_step`, the events' step).
    public var json: JSONValue {
        ["interface": .string(interface.rawValue), "step": .string(name), "priority": .number(Double(priority)), "args": args]
    }

    /// This step with other arguments and priority (a user's request for it).
    public func with(priority: Int, args: JSONValue) -> Step {
        Step(interface, name, priority: priority, args: args, repeatable: repeatable, abortable: abortable)
    }
}

/// How a step, an inspection or a rescue ended.
public enum StepOutcome: Sendable, Hashable {
    /// Finished.
    case done
    /// Handed to the ramdisk agent: the node waits for its call-back (`wait call-back`,
    /// `clean wait`, `inspect wait`, `rescue wait`, `service wait`).
    case wait
}
