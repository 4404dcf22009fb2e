import Domain
import Foundation

/// The conductor's settings, with Ironic's defaults.
public struct EngineConfiguration: Sendable {
    /// The name the node reservation shows (Ironic: the conductor's host).
    public var host = ProcessInfo.processInfo.hostName
    /// `[conductor]automated_clean`: clean on provide and after undeploy (a node's own
    /// `automated_clean` overrides it).
    public var automatedClean = true
    /// `[conductor]check_provision_state_interval`: how often wait states are checked for timeouts.
    public var checkProvisionStateInterval: Duration = .seconds(60)
    /// `[conductor]deploy_callback_timeout`, `clean_callback_timeout`, `rescue_callback_timeout`,
    /// `[inspector]inspect_wait_timeout`, and servicing's: how long a wait state waits for its
    /// agent, measured from `provision_updated_at`.
    public var callbackTimeouts: [ProvisionState: Duration] = [
        .waitCallBack: .seconds(1800), .cleanWait: .seconds(1800), .rescueWait: .seconds(1800),
        .inspectWait: .seconds(1800), .serviceWait: .seconds(1800),
    ]
    /// `[conductor]sync_power_state_interval`: how often recorded power states are checked against
    /// the hardware (0 disables it).
    public var syncPowerStateInterval: Duration = .seconds(120)
    /// `[conductor]force_power_state_during_sync`: put the hardware back to the recorded state
    /// (otherwise record what the hardware says).
    public var forcePowerStateDuringSync = true
    /// `[conductor]power_state_sync_max_retries`: failed checks before maintenance with fault
    /// `power failure`.
    public var powerStateSyncMaxRetries = 3
    /// `[conductor]power_failure_recovery_interval`: how often nodes in maintenance for a power
    /// failure are checked, and taken out of it once their BMC answers again.
    public var powerFailureRecoveryInterval: Duration = .seconds(300)
    /// `[neutron]provisioning_network`, `cleaning_network`, `rescuing_network`,
    /// `inspection_network`, `servicing_network`: the configured network (`/v1/networks`, by name)
    /// the `switch` network interface puts a node's ports on in each phase. Inspection and
    /// servicing use the provisioning network when they have none.
    public var phaseNetworks: [NetworkPhase: String] = [:]
    /// Envelopes at the log's tail checked at start-up.
    public var tailVerification = 1024

    public init() {}
}
