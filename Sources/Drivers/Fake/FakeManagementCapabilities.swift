import Domain

/// `fake` management's indicators, boot mode, secure boot and virtual media: what is set is
/// noted on the fake machine (``FakeBehaviour``) and the engine records it.
///
/// Indicators, as Ironic's fake management has them plus a drive's: `led-0@chassis` (read-only,
/// on), `led@system` and `led@disk` (settable, off until set).
extension FakeManagement: IndicatorManaging, BootModeManaging, VirtualMediaManaging {
    public func supportedIndicators(_ task: DriverTask) -> [IndicatorID: IndicatorCapability] {
        [
            IndicatorID(component: .chassis, name: "led-0"): IndicatorCapability(readOnly: true, states: [.off, .on]),
            IndicatorID(component: .system, name: "led"): IndicatorCapability(readOnly: false, states: [.blinking, .off, .on]),
            IndicatorID(component: .disk, name: "led"): IndicatorCapability(readOnly: false, states: [.off, .on]),
        ]
    }

    public func indicatorState(_ task: DriverTask, _ indicator: IndicatorID) async throws(DriverError) -> IndicatorState {
        guard let capability = supportedIndicators(task)[indicator] else { throw DriverError("Indicator \(indicator) is not supported") }
        try await behaviour.perform("management.get_indicator_state", kind: .management, task)
        if let set = behaviour.hardwareIndicators(of: task.node.uuid)[indicator] { return set }
        return capability.readOnly ? .on : .off
    }

    public func setIndicatorState(_ task: DriverTask, _ indicator: IndicatorID, _ state: IndicatorState) async throws(DriverError) {
        guard let capability = supportedIndicators(task)[indicator] else { throw DriverError("Indicator \(indicator) is not supported") }
        guard !capability.readOnly else { throw DriverError("Indicator \(indicator) is read-only") }
        guard capability.states.contains(state) else {
            throw DriverError("Indicator \(indicator) can not be \(state.rawValue); it can be "
                + capability.states.map(\.rawValue).joined(separator: ", "))
        }
        try await behaviour.perform("management.set_indicator_state", kind: .management, task)
        behaviour.recordIndicator(indicator, state, of: task.node.uuid)
    }

    public func setBootMode(_ task: DriverTask, _ mode: BootMode) async throws(DriverError) {
        try await behaviour.perform("management.set_boot_mode", kind: .management, task)
    }

    public func setSecureBoot(_ task: DriverTask, _ enabled: Bool) async throws(DriverError) {
        try await behaviour.perform("management.set_secure_boot_state", kind: .management, task)
    }

    public func attachVirtualMedia(_ task: DriverTask, _ media: VirtualMedia) async throws(DriverError) {
        try await behaviour.perform("management.attach_virtual_media", kind: .management, task)
        behaviour.recordVirtualMedia(media, device: media.deviceType, of: task.node.uuid)
    }

    public func detachVirtualMedia(_ task: DriverTask, _ deviceTypes: [VirtualMediaDevice]?) async throws(DriverError) {
        try await behaviour.perform("management.detach_virtual_media", kind: .management, task)
        for device in deviceTypes ?? VirtualMediaDevice.allCases {
            behaviour.recordVirtualMedia(nil, device: device, of: task.node.uuid)
        }
    }
}
