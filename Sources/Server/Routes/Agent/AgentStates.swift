import Domain

/// The provision states in which a ramdisk agent runs on the node (Ironic's
/// `LOOKUP_ALLOWED_STATES`): lookup answers only for them, and a heartbeat outside them is
/// acknowledged and ignored.
enum AgentStates {
    /// Where lookup finds the node.
    static let lookupAllowed: Set<ProvisionState> = [
        .deploying, .waitCallBack, .cleaning, .cleanWait, .inspecting, .inspectWait, .rescuing, .rescueWait,
        .servicing, .serviceWait,
    ]
    /// Where a heartbeat moves the node on (through the conductor's call-back).
    static let waitingForCallBack: Set<ProvisionState> = [.waitCallBack, .cleanWait, .serviceWait, .rescueWait]
}
