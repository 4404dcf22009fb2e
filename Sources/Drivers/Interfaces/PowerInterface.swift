import Domain

/// Reads and changes a node's power (Ironic's `PowerInterface`).
public protocol PowerInterface: HardwareInterface {
    /// The power state the BMC reports.
    func powerState(_ task: DriverTask) async throws(DriverError) -> PowerState
    /// Powers on or off (hard or soft), or reboots (hard or soft); `timeout` in seconds.
    func setPowerState(_ task: DriverTask, _ target: PowerTarget, timeout: Int?) async throws(DriverError)
    /// The targets this BMC supports.
    func supportedTargets(_ task: DriverTask) -> [PowerTarget]
    /// Whether the periodic power-state sync may use it.
    var supportsPowerSync: Bool { get }
}

extension PowerInterface {
    public var kind: HardwareInterfaceKind { .power }
    public var supportsPowerSync: Bool { true }
    public func supportedTargets(_ task: DriverTask) -> [PowerTarget] { [.on, .off, .rebooting] }
}
