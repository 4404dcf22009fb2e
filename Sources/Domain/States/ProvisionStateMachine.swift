/// Ironic's provision state machine as data: every allowed (state, event) pair and where it leads.
///
/// Read it top to bottom like Ironic's `state_machine.py`. `api` rows are fired by user verbs;
/// `internal` rows by work in progress (a reactor's outcome, an agent heartbeat, a timeout).
/// Anything not in the table is refused.
public enum ProvisionStateMachine {
    /// Who fires a transition.
    public enum Trigger: Sendable, Hashable {
        /// A user verb through the API.
        case api
        /// Work in progress: a driver's outcome, a heartbeat, a timeout, a restart.
        case `internal`
    }

    /// One row of the table.
    public struct Transition: Sendable, Hashable {
        /// The state the node is in.
        public let from: ProvisionState
        /// What happens.
        public let event: ProvisionEvent
        /// The state it moves to.
        public let to: ProvisionState
        /// Whether a user or work in progress fires it.
        public let trigger: Trigger
    }

    private static func row(_ from: ProvisionState, _ event: ProvisionEvent, _ to: ProvisionState, _ trigger: Trigger) -> Transition {
        Transition(from: from, event: event, to: to, trigger: trigger)
    }

    /// The whole table.
    public static let transitions: [Transition] = [
        // Enrolment and verification
        row(.enroll, .manage, .verifying, .api),
        row(.verifying, .done, .manageable, .internal),
        row(.verifying, .fail, .enroll, .internal),
        // From manageable
        row(.manageable, .provide, .cleaning, .api),
        row(.manageable, .clean, .cleaning, .api),
        row(.manageable, .inspect, .inspecting, .api),
        row(.manageable, .adopt, .adopting, .api),
        // From available
        row(.available, .deploy, .deploying, .api),
        row(.available, .manage, .manageable, .api),
        // Deploying
        row(.deploying, .wait, .waitCallBack, .internal),
        row(.deploying, .hold, .deployHold, .internal),
        row(.deploying, .done, .active, .internal),
        row(.deploying, .fail, .deployFailed, .internal),
        row(.waitCallBack, .resume, .deploying, .internal),
        row(.waitCallBack, .hold, .deployHold, .internal),
        row(.waitCallBack, .fail, .deployFailed, .internal),
        row(.waitCallBack, .abort, .deployFailed, .api),
        row(.waitCallBack, .delete, .deleting, .api),
        row(.deployHold, .unhold, .waitCallBack, .api),
        row(.deployHold, .abort, .deployFailed, .api),
        row(.deployFailed, .deploy, .deploying, .api),
        row(.deployFailed, .rebuild, .deploying, .api),
        row(.deployFailed, .delete, .deleting, .api),
        // Active
        row(.active, .rebuild, .deploying, .api),
        row(.active, .delete, .deleting, .api),
        row(.active, .rescue, .rescuing, .api),
        row(.active, .service, .servicing, .api),
        // Tear-down
        row(.deleting, .clean, .cleaning, .internal),
        row(.deleting, .fail, .error, .internal),
        row(.error, .rebuild, .deploying, .api),
        row(.error, .delete, .deleting, .api),
        // Cleaning
        row(.cleaning, .wait, .cleanWait, .internal),
        row(.cleaning, .hold, .cleanHold, .internal),
        row(.cleaning, .done, .available, .internal),
        row(.cleaning, .manage, .manageable, .internal),
        row(.cleaning, .fail, .cleanFailed, .internal),
        row(.cleanWait, .resume, .cleaning, .internal),
        row(.cleanWait, .hold, .cleanHold, .internal),
        row(.cleanWait, .fail, .cleanFailed, .internal),
        row(.cleanWait, .abort, .cleanFailed, .api),
        row(.cleanHold, .unhold, .cleanWait, .api),
        row(.cleanHold, .abort, .cleanFailed, .api),
        row(.cleanFailed, .manage, .manageable, .api),
        // Inspection
        row(.inspecting, .done, .manageable, .internal),
        row(.inspecting, .wait, .inspectWait, .internal),
        row(.inspecting, .fail, .inspectFailed, .internal),
        row(.inspectWait, .resume, .inspecting, .internal),
        row(.inspectWait, .done, .manageable, .internal),
        row(.inspectWait, .fail, .inspectFailed, .internal),
        row(.inspectWait, .abort, .inspectFailed, .api),
        row(.inspectFailed, .inspect, .inspecting, .api),
        row(.inspectFailed, .manage, .manageable, .api),
        // Adoption
        row(.adopting, .done, .active, .internal),
        row(.adopting, .fail, .adoptFailed, .internal),
        row(.adoptFailed, .adopt, .adopting, .api),
        row(.adoptFailed, .manage, .manageable, .api),
        // Rescue
        row(.rescuing, .wait, .rescueWait, .internal),
        row(.rescuing, .done, .rescue, .internal),
        row(.rescuing, .fail, .rescueFailed, .internal),
        row(.rescueWait, .resume, .rescuing, .internal),
        row(.rescueWait, .fail, .rescueFailed, .internal),
        row(.rescueWait, .abort, .rescueFailed, .api),
        row(.rescueWait, .delete, .deleting, .api),
        row(.rescue, .rescue, .rescuing, .api),
        row(.rescue, .unrescue, .unrescuing, .api),
        row(.rescue, .delete, .deleting, .api),
        row(.rescueFailed, .rescue, .rescuing, .api),
        row(.rescueFailed, .unrescue, .unrescuing, .api),
        row(.rescueFailed, .delete, .deleting, .api),
        row(.unrescuing, .done, .active, .internal),
        row(.unrescuing, .fail, .unrescueFailed, .internal),
        row(.unrescueFailed, .rescue, .rescuing, .api),
        row(.unrescueFailed, .unrescue, .unrescuing, .api),
        row(.unrescueFailed, .delete, .deleting, .api),
        // Servicing
        row(.servicing, .done, .active, .internal),
        row(.servicing, .wait, .serviceWait, .internal),
        row(.servicing, .hold, .serviceHold, .internal),
        row(.servicing, .fail, .serviceFailed, .internal),
        row(.serviceWait, .resume, .servicing, .internal),
        row(.serviceWait, .hold, .serviceHold, .internal),
        row(.serviceWait, .fail, .serviceFailed, .internal),
        row(.serviceWait, .abort, .serviceFailed, .api),
        row(.serviceWait, .delete, .deleting, .api),
        row(.serviceHold, .service, .servicing, .api),
        row(.serviceHold, .unhold, .serviceWait, .api),
        row(.serviceHold, .abort, .serviceFailed, .api),
        row(.serviceHold, .fail, .serviceFailed, .internal),
        row(.serviceFailed, .service, .servicing, .api),
        row(.serviceFailed, .abort, .active, .api),
        row(.serviceFailed, .rescue, .rescuing, .api),
        row(.serviceFailed, .delete, .deleting, .api),
        row(.serviceFailed, .wait, .serviceWait, .internal),
        row(.serviceFailed, .hold, .serviceHold, .internal),
    ]

    private static let index: [Key: Transition] = Dictionary(uniqueKeysWithValues: transitions.map { (Key(from: $0.from, event: $0.event), $0) })

    private struct Key: Hashable {
        let from: ProvisionState
        let event: ProvisionEvent
    }

    /// The transition for `event` in `state`, or `nil` if the table does not allow it.
    public static func transition(from state: ProvisionState, on event: ProvisionEvent) -> Transition? {
        index[Key(from: state, event: event)]
    }

    /// The state `event` leads to from `state`, or `nil` if it is not allowed.
    public static func next(from state: ProvisionState, on event: ProvisionEvent) -> ProvisionState? {
        transition(from: state, on: event)?.to
    }

    /// The target a node shows after moving to `state`: the state's default target, except that a
    /// manual cleaning keeps `manageable` through its cleaning states, including `clean failed` when
    /// the manual clean fails or is aborted (that target is how clients tell a failed manual clean
    /// from a failed automated one).
    ///
    /// `previousTarget` is the target override in force: the node's current target, or `manageable`
    /// for the `clean` verb that starts a manual clean (the node is then in stable `manageable`, with
    /// no target). A stuck `cleaning` failed on conductor start passes `nil`: Ironic fires that `fail`
    /// without an override, so the node shows `available` (ironic-facts §8.1).
    public static func target(entering state: ProvisionState, previousTarget: ProvisionState?) -> ProvisionState? {
        switch state {
        case .cleaning, .cleanWait, .cleanHold, .cleanFailed:
            previousTarget == .manageable ? .manageable : state.defaultTarget
        default:
            state.defaultTarget
        }
    }
}
