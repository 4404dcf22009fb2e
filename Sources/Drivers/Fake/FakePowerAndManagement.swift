import Domain

/// `fake` power: the fake machine is on or off as last set (at start, as the node records it).
public struct FakePower: PowerInterface {
    public let name = "fake"
    let behaviour: FakeBehaviour

    public init(_ behaviour: FakeBehaviour) { self.behaviour = behaviour }

    public func powerState(_ task: DriverTask) async throws(DriverError) -> PowerState {
        try await behaviour.perform("power.get_power_state", kind: .power, task)
        return behaviour.hardwarePower(of: task.node.uuid) ?? task.node.powerState ?? .off
    }

    public func setPowerState(_ task: DriverTask, _ target: PowerTarget, timeout: Int?) async throws(DriverError) {
        let action = target == .rebooting || target == .softRebooting ? "power.reboot" : "power.set_power_state"
        try await behaviour.perform(action, kind: .power, task)
        behaviour.recordPower(target.targetPowerState, of: task.node.uuid)
    }

    public func supportedTargets(_ task: DriverTask) -> [PowerTarget] { PowerTarget.allCases }
}

/// `fake` management: boots from PXE or disk; the fake machine remembers the device last set
/// (``FakeBehaviour/hardwareBootDevice(of:)``), else reports what the node records, else PXE.
public struct FakeManagement: ManagementInterface {
    public let name = "fake"
    let behaviour: FakeBehaviour

    public init(_ behaviour: FakeBehaviour) { self.behaviour = behaviour }

    public func bootDevice(_ task: DriverTask) async throws(DriverError) -> (device: BootDevice?, persistent: Bool?) {
        try await behaviour.perform("management.get_boot_device", kind: .management, task)
        if let set = behaviour.hardwareBootDevice(of: task.node.uuid) { return (set.device, set.persistent) }
        return (task.node.bootDevice ?? .pxe, task.node.bootDevicePersistent ?? false)
    }

    public func setBootDevice(_ task: DriverTask, _ device: BootDevice, persistent: Bool) async throws(DriverError) {
        guard supportedBootDevices(task).contains(device) else {
            throw DriverError("Boot device \(device.rawValue) is not supported; supported: \(supportedBootDevices(task).map(\.rawValue).joined(separator: ", "))")
        }
        try await behaviour.perform("management.set_boot_device", kind: .management, task)
        behaviour.recordBootDevice(device, persistent: persistent, of: task.node.uuid)
    }

    public func supportedBootDevices(_ task: DriverTask) -> [BootDevice] { [.pxe, .disk] }
}

/// The fake machine's storage adapter takes volume targets out of band: it remembers each
/// (``FakeBehaviour/hardwareVolumeTargets(of:)``).
extension FakeManagement: VolumeTargetProgramming {
    public func programVolumeTarget(_ task: DriverTask, _ target: VolumeTarget) async throws(DriverError) {
        try await behaviour.perform("management.program_volume_target", kind: .management, task)
        behaviour.recordVolumeTarget(target.uuid, programmed: true, of: task.node.uuid)
    }

    public func clearVolumeTarget(_ task: DriverTask, _ target: VolumeTarget) async throws(DriverError) {
        try await behaviour.perform("management.clear_volume_target", kind: .management, task)
        behaviour.recordVolumeTarget(target.uuid, programmed: false, of: task.node.uuid)
    }
}

/// `noop` management, for hardware managed by hand.
public struct NoOpManagement: ManagementInterface {
    public let name = "noop"
    public init() {}
    public func bootDevice(_ task: DriverTask) async throws(DriverError) -> (device: BootDevice?, persistent: Bool?) { (nil, nil) }
    public func setBootDevice(_ task: DriverTask, _ device: BootDevice, persistent: Bool) async throws(DriverError) {}
    public func supportedBootDevices(_ task: DriverTask) -> [BootDevice] { [] }
}
