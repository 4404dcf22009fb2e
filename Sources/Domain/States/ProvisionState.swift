/// A node's provision state, with Ironic's exact API strings.
///
/// The classes (stable, unstable, hold, failure) and each state's default target come from
/// Ironic's `states.py`; they decide what an operator may do next, what a restart does to a node
/// caught mid-operation, and what `target_provision_state` shows.
public enum ProvisionState: String, Sendable, Hashable, Codable, CaseIterable {
    case enroll
    case verifying
    case manageable
    case available
    case deploying
    case waitCallBack = "wait call-back"
    case deployHold = "deploy hold"
    case deployFailed = "deploy failed"
    case active
    case deleting
    case error
    case cleaning
    case cleanWait = "clean wait"
    case cleanHold = "clean hold"
    case cleanFailed = "clean failed"
    case inspecting
    case inspectWait = "inspect wait"
    case inspectFailed = "inspect failed"
    case adopting
    case adoptFailed = "adopt failed"
    case rescuing
    case rescueWait = "rescue wait"
    case rescueFailed = "rescue failed"
    case rescue
    case unrescuing
    case unrescueFailed = "unrescue failed"
    case servicing
    case serviceWait = "service wait"
    case serviceHold = "service hold"
    case serviceFailed = "service failed"

    /// States a node rests in until someone asks for something.
    public static let stable: Set<ProvisionState> = [.enroll, .manageable, .available, .active, .error, .rescue]

    /// States that change without a request: work is running or being waited for.
    public static let unstable: Set<ProvisionState> = [
        .deploying, .waitCallBack, .cleaning, .cleanWait, .verifying, .deleting, .inspecting,
        .inspectWait, .adopting, .rescuing, .rescueWait, .unrescuing, .servicing, .serviceWait,
    ]

    /// States where the operator must `unhold` or `abort`.
    public static let hold: Set<ProvisionState> = [.deployHold, .cleanHold, .serviceHold]

    /// States that record a failed operation.
    public static let failure: Set<ProvisionState> = [
        .deployFailed, .cleanFailed, .inspectFailed, .rescueFailed, .unrescueFailed, .adoptFailed, .serviceFailed,
    ]

    /// Active-work states that cannot be resumed after a restart: they are failed instead (§8.1).
    public static let stuckTreatedAsFail: Set<ProvisionState> = [
        .deploying, .cleaning, .verifying, .inspecting, .adopting, .rescuing, .unrescuing, .deleting, .servicing,
    ]

    /// States a node may be deleted in (any state while in maintenance).
    public static let deleteAllowed: Set<ProvisionState> = [.manageable, .enroll, .adoptFailed, .available]

    /// States in which a node with a target may still be PATCHed.
    public static let updateAllowed: Set<ProvisionState> = [
        .deployFailed, .inspecting, .inspectFailed, .inspectWait, .cleanFailed, .error, .verifying,
        .adoptFailed, .rescueFailed, .unrescueFailed, .serviceHold, .serviceFailed,
    ]

    /// States in which an agent may look a node up.
    public static let lookupAllowed: Set<ProvisionState> = [
        .deploying, .waitCallBack, .cleaning, .cleanWait, .inspecting, .inspectWait, .rescuing, .rescueWait, .serviceWait,
    ]

    /// States in which a node's driver or interfaces may change (or any state in maintenance).
    public static let interfaceChangeAllowed: Set<ProvisionState> = [.enroll, .inspecting, .inspectWait, .manageable, .available]

    /// States in which a port's connectivity (portgroup, pxe, link, physnet) may change.
    public static let portConnectivityChangeAllowed: Set<ProvisionState> = [.enroll, .inspecting, .inspectWait, .manageable]

    /// Whether this is a stable state.
    public var isStable: Bool { Self.stable.contains(self) }

    /// The target shown while in this state when nothing overrides it; `nil` for stable states.
    /// Cleaning states default to `available` (automated cleaning); manual cleaning overrides it
    /// with `manageable`.
    public var defaultTarget: ProvisionState? {
        switch self {
        case .enroll, .manageable, .available, .active, .error, .rescue: nil
        case .verifying, .inspecting, .inspectWait, .inspectFailed: .manageable
        case .deploying, .waitCallBack, .deployHold, .deployFailed, .adopting, .adoptFailed,
             .unrescuing, .unrescueFailed, .servicing, .serviceWait, .serviceHold, .serviceFailed: .active
        case .deleting, .cleaning, .cleanWait, .cleanHold, .cleanFailed: .available
        case .rescuing, .rescueWait, .rescueFailed: .rescue
        }
    }

    /// The failed state a stuck state moves to on restart (`fail` from that state).
    public var failureOnRestart: ProvisionState? {
        guard Self.stuckTreatedAsFail.contains(self) else { return nil }
        return ProvisionStateMachine.next(from: self, on: .fail)
    }
}
