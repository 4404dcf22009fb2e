import Domain

/// How the `ipmitool` drivers talk to BMCs: Ironic's `[ipmi]` and `[conductor]` power options,
/// with its defaults.
///
/// BMCs run in real time, so every duration here is wall-clock time, whatever clock the engine
/// runs on: a test that drives the engine on a ``ManualClock`` still waits for a real BMC in
/// real time. Tests against emulated BMCs shorten them (see ``init(executable:commandRetryTimeout:minCommandInterval:retransmitInterval:commandTimeout:powerStateChangeTimeout:softPowerOffTimeout:powerStatePollInterval:defaultBootMode:)``).
public struct IPMIConfiguration: Sendable, Hashable {
    /// The `ipmitool` to run: a name looked up on `PATH`, or a path.
    public var executable: String
    /// How long one command keeps being retried after transient failures (an unreachable BMC,
    /// no free session slot): Ironic's `[ipmi] command_retry_timeout`, 60 s. Wrong credentials and
    /// commands the BMC refuses are never retried.
    public var commandRetryTimeout: Duration
    /// The least time between two commands sent to one BMC, and so also the pause before a retry:
    /// Ironic's `[ipmi] min_command_interval`, 5 s. Many BMCs drop sessions opened too quickly.
    public var minCommandInterval: Duration
    /// `ipmitool -N`: whole seconds it waits for each answer before giving up on an attempt (it is
    /// run with `-R 1`, one retransmission, as Ironic runs it when it does the retrying itself).
    /// Ironic passes `min_command_interval` here, 5.
    public var retransmitInterval: Int
    /// How long one `ipmitool` run may take before it is killed (counts as a transient failure).
    public var commandTimeout: Duration
    /// How long a power on, off or reboot waits for the BMC to report the new state: Ironic's
    /// `[conductor] power_state_change_timeout`, 60 s. A request's own `timeout` overrides it.
    public var powerStateChangeTimeout: Duration
    /// How long a soft power off waits for the OS to shut down: Ironic's
    /// `[conductor] soft_power_off_timeout`, 600 s. A request's own `timeout` overrides it.
    public var softPowerOffTimeout: Duration
    /// How often the power state is read while waiting for it to change.
    public var powerStatePollInterval: Duration
    /// The boot mode of a node that states none (through `instance_info.deploy_boot_mode`, the
    /// `boot_mode` capability or its `boot_mode` field): Ironic's `[deploy] default_boot_mode`.
    /// Ironic defaults to `uefi`; here the legacy `chassis bootdev` path is the default, and the
    /// UEFI raw command is sent only to nodes that say they boot UEFI.
    public var defaultBootMode: BootMode

    /// Settings with Ironic's defaults unless given.
    public init(executable: String = "ipmitool", commandRetryTimeout: Duration = .seconds(60), minCommandInterval: Duration = .seconds(5),
                retransmitInterval: Int = 5, commandTimeout: Duration = .seconds(60), powerStateChangeTimeout: Duration = .seconds(60),
                softPowerOffTimeout: Duration = .seconds(600), powerStatePollInterval: Duration = .seconds(1),
                defaultBootMode: BootMode = .bios) {
        self.executable = executable
        self.commandRetryTimeout = commandRetryTimeout
        self.minCommandInterval = minCommandInterval
        self.retransmitInterval = max(1, retransmitInterval)
        self.commandTimeout = commandTimeout
        self.powerStateChangeTimeout = powerStateChangeTimeout
        self.softPowerOffTimeout = softPowerOffTimeout
        self.powerStatePollInterval = powerStatePollInterval
        self.defaultBootMode = defaultBootMode
    }
}

extension Duration {
    /// The duration in seconds for messages, to a tenth: `2.5 s`.
    var secondsText: String {
        let tenths = components.seconds * 10 + components.attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
