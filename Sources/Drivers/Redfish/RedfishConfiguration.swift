/// How the Redfish interfaces talk to a BMC: Ironic's `[redfish]` retry options, request timeouts
/// and how long power changes may take (`[conductor]power_state_change_timeout`,
/// `soft_power_off_timeout`). One value serves every node; tests use short ones.
public struct RedfishConfiguration: Sendable, Hashable {
    /// How many times a request is tried when the BMC cannot be reached or answers with a
    /// transient server error (`[redfish]connection_attempts`, 5). At least 1.
    public var connectionAttempts: Int
    /// The wait before the first retry (`[redfish]connection_retry_interval`, 4 s); each further
    /// retry waits `retryBackoff` times longer than the one before.
    public var connectionRetryInterval: Duration
    /// The factor each retry's wait grows by (1.5; 1 keeps Ironic's fixed interval).
    public var retryBackoff: Double
    /// How long one request may take, connecting included (60 s).
    public var requestTimeout: Duration
    /// How long a hard power change or reboot may take to show in `PowerState`
    /// (`[conductor]power_state_change_timeout`, 60 s), unless the request names its own timeout.
    public var powerStateChangeTimeout: Duration
    /// How long a soft power off or soft reboot may take (`[conductor]soft_power_off_timeout`, 600 s).
    public var softPowerOffTimeout: Duration
    /// How often `PowerState` is read while waiting for a change (1 s).
    public var powerStatePollInterval: Duration

    /// Ironic's defaults, unless overridden.
    public init(connectionAttempts: Int = 5, connectionRetryInterval: Duration = .seconds(4), retryBackoff: Double = 1.5,
                requestTimeout: Duration = .seconds(60), powerStateChangeTimeout: Duration = .seconds(60),
                softPowerOffTimeout: Duration = .seconds(600), powerStatePollInterval: Duration = .seconds(1)) {
        self.connectionAttempts = max(1, connectionAttempts)
        self.connectionRetryInterval = connectionRetryInterval
        self.retryBackoff = max(1, retryBackoff)
        self.requestTimeout = requestTimeout
        self.powerStateChangeTimeout = powerStateChangeTimeout
        self.softPowerOffTimeout = softPowerOffTimeout
        self.powerStatePollInterval = powerStatePollInterval
    }

    /// The wait before retry number `retry` (1 for the first retry).
    func retryDelay(before retry: Int) -> Duration {
        var factor = 1.0
        for _ in 1..<max(1, retry) { factor *= retryBackoff }
        return connectionRetryInterval * factor
    }
}
