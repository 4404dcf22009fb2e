import Domain

/// `redfish` power: `ComputerSystem.Reset`, then `PowerState` read until it shows the change
/// (Ironic's `RedfishPower`).
///
/// | target | ResetType |
/// |---|---|
/// | power on | `On` (nothing if already on) |
/// | power off | `ForceOff` (nothing if already off) |
/// | soft power off | `GracefulShutdown` (nothing if already off) |
/// | rebooting | `ForceRestart` if on, else `On` |
/// | soft rebooting | `GracefulRestart` if on, else `On` |
///
/// The wait is bounded: the request's timeout, else ``RedfishConfiguration/powerStateChangeTimeout``
/// (``RedfishConfiguration/softPowerOffTimeout`` for the soft actions), measured and slept on
/// the task's clock. A BMC that accepts the reset and never changes state fails the action.
public struct RedfishPower: PowerInterface {
    public let name = "redfish"
    /// Timeouts and retries.
    public let configuration: RedfishConfiguration

    public init(configuration: RedfishConfiguration = RedfishConfiguration()) {
        self.configuration = configuration
    }

    public var properties: [DriverProperty] { RedfishDriverInfo.properties }

    public func validate(_ task: DriverTask) throws(DriverError) {
        _ = try RedfishClient(task, configuration: configuration)
    }

    public func powerState(_ task: DriverTask) async throws(DriverError) -> PowerState {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        return try system.powerState()
    }

    public func supportedTargets(_ task: DriverTask) -> [PowerTarget] { PowerTarget.allCases }

    public func setPowerState(_ task: DriverTask, _ target: PowerTarget, timeout: Int?) async throws(DriverError) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        let current = try system.powerState()
        guard let resetType = Self.resetType(for: target, current: current) else { return }
        if let allowed = system.allowedResetTypes, !allowed.contains(resetType) {
            throw DriverError("The Redfish BMC does not allow ResetType \(resetType) for \(system.url) (needed for \(target.rawValue)); "
                + "it allows: \(allowed.joined(separator: ", "))")
        }
        try await system.client.post(system.resetTarget, ["ResetType": .string(resetType)])
        let limit = timeout.map { Duration.seconds(max($0, 1)) }
            ?? (target == .softOff || target == .softRebooting ? configuration.softPowerOffTimeout : configuration.powerStateChangeTimeout)
        try await waitFor(target.targetPowerState, system, task, limit: limit, after: resetType)
    }

    /// The `ResetType` that takes a system in `current` state to `target`, or `nil` if it is there.
    public static func resetType(for target: PowerTarget, current: PowerState) -> String? {
        switch target {
        case .on: current == .on ? nil : "On"
        case .off: current == .off ? nil : "ForceOff"
        case .softOff: current == .off ? nil : "GracefulShutdown"
        case .rebooting: current == .on ? "ForceRestart" : "On"
        case .softRebooting: current == .on ? "GracefulRestart" : "On"
        }
    }

    /// Reads `PowerState` until it is `wanted`, for at most `limit` on the task's clock.
    private func waitFor(_ wanted: PowerState, _ system: RedfishSystem, _ task: DriverTask, limit: Duration,
                         after resetType: String) async throws(DriverError) {
        let deadline = task.clock.nowMicroseconds + limit.microseconds
        var last = system.redfishPowerState ?? "none"
        while true {
            let now = try await system.reloaded()
            last = now.redfishPowerState ?? "none"
            if (try? now.powerState()) == wanted { return }
            let remaining = deadline - task.clock.nowMicroseconds
            if remaining <= 0 { break }
            do {
                try await task.clock.sleep(for: min(configuration.powerStatePollInterval, .microseconds(remaining)))
            } catch {
                throw DriverError("Waiting for \(system.url) to reach \(wanted.rawValue) was cancelled")
            }
        }
        throw DriverError("Timed out after \(limit) waiting for the Redfish BMC to report \(wanted.rawValue) for \(system.url) "
            + "after ResetType \(resetType); PowerState is still \(last)")
    }
}
