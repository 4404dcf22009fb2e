import Domain

/// `ipmitool` power (Ironic's `ipmitool.IPMIPower`): reads and changes power with
/// `chassis power status|on|off|soft|reset`, then waits — polling `chassis power status` —
/// until the BMC reports the state asked for. A BMC that accepts a command and never changes
/// state ends in a ``DriverError`` once the timeout has passed.
///
/// A reboot is power off (unless already off) then power on, and a soft reboot soft power off
/// then power on, each step waited for, as Ironic does: `chassis power reset` does not tell
/// when the node is back, and many BMCs ignore it while the node is off.
public struct IPMIPower: PowerInterface {
    public let name = "ipmitool"
    /// Runs the commands; shared with ``IPMIManagement``.
    public let tool: IPMITool

    /// Power through `tool` (by default ``IPMITool/standard``).
    public init(tool: IPMITool = .standard) { self.tool = tool }

    public var properties: [DriverProperty] { IPMIDriverInfo.properties }

    /// Checks `driver_info` as Ironic does: `ipmi_address` present, the port a number, the
    /// protocol version 1.5 or 2.0, a known privilege level.
    public func validate(_ task: DriverTask) throws(DriverError) {
        _ = try IPMIDriverInfo(task)
    }

    public func powerState(_ task: DriverTask) async throws(DriverError) -> PowerState {
        try await powerState(IPMIDriverInfo(task))
    }

    public func setPowerState(_ task: DriverTask, _ target: PowerTarget, timeout: Int?) async throws(DriverError) {
        let info = try IPMIDriverInfo(task)
        let limit = timeout.map { Duration.seconds($0) }
        switch target {
        case .on:
            try await change(info, "on", until: .on, within: limit ?? tool.configuration.powerStateChangeTimeout)
        case .off:
            try await change(info, "off", until: .off, within: limit ?? tool.configuration.powerStateChangeTimeout)
        case .softOff:
            try await change(info, "soft", until: .off, within: limit ?? tool.configuration.softPowerOffTimeout)
        case .rebooting:
            if try await powerState(info) != .off {
                try await change(info, "off", until: .off, within: limit ?? tool.configuration.powerStateChangeTimeout)
            }
            try await change(info, "on", until: .on, within: limit ?? tool.configuration.powerStateChangeTimeout)
        case .softRebooting:
            try await change(info, "soft", until: .off, within: limit ?? tool.configuration.softPowerOffTimeout)
            try await change(info, "on", until: .on, within: limit ?? tool.configuration.powerStateChangeTimeout)
        }
    }

    public func supportedTargets(_ task: DriverTask) -> [PowerTarget] { PowerTarget.allCases }

    /// A hard reset (`chassis power reset`): the node restarts at once, without waiting for any
    /// state, since its power stays on. Not what a reboot does (see the type's notes).
    public func reset(_ task: DriverTask) async throws(DriverError) {
        _ = try await tool.run(["chassis", "power", "reset"], on: IPMIDriverInfo(task))
    }

    /// `chassis power status` read: on, off, or `error` if the BMC answered something else.
    func powerState(_ info: IPMIDriverInfo) async throws(DriverError) -> PowerState {
        let output = try await tool.run(["chassis", "power", "status"], on: info)
        return Self.parsePowerState(output.standardOutput)
    }

    /// The state in `chassis power status` output (`Chassis Power is on|off`).
    public static func parsePowerState(_ output: String) -> PowerState {
        if output.contains("Chassis Power is on") { return .on }
        if output.contains("Chassis Power is off") { return .off }
        return .error
    }

    /// Sends `chassis power <action>`, then polls until the BMC reports `state`, failing once
    /// `timeout` has passed.
    private func change(_ info: IPMIDriverInfo, _ action: String, until state: PowerState, within timeout: Duration) async throws(DriverError) {
        let started = ContinuousClock.now
        _ = try await tool.run(["chassis", "power", action], on: info)
        var last = PowerState.error
        while true {
            last = try await powerState(info)
            if last == state { return }
            guard ContinuousClock.now - started + tool.configuration.powerStatePollInterval <= timeout else { break }
            do { try await Task.sleep(for: tool.configuration.powerStatePollInterval) } catch {
                throw DriverError("Cancelled while waiting for BMC \(info.bmc) to reach \(state.rawValue)")
            }
        }
        throw DriverError("Failed to set node power state to \(state.rawValue): BMC \(info.bmc) accepted \"chassis power \(action)\" "
            + "but still reports \(last.rawValue) after \(timeout.secondsText)")
    }
}
