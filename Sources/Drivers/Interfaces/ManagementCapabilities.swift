import Domain

/// What an indicator offers: whether it can be set, and the states it can show.
public struct IndicatorCapability: Sendable, Hashable {
    public let readOnly: Bool
    public let states: [IndicatorState]

    public init(readOnly: Bool, states: [IndicatorState]) {
        self.readOnly = readOnly
        self.states = states
    }
}

/// A management interface that reads and sets the node's indicators (LEDs) (Ironic's
/// `get_supported_indicators`, `get_indicator_state`, `set_indicator_state`, 1.63).
public protocol IndicatorManaging: ManagementInterface {
    /// Every indicator the node has, and what it offers.
    func supportedIndicators(_ task: DriverTask) -> [IndicatorID: IndicatorCapability]
    /// The state the indicator shows now.
    func indicatorState(_ task: DriverTask, _ indicator: IndicatorID) async throws(DriverError) -> IndicatorState
    /// Sets the indicator.
    func setIndicatorState(_ task: DriverTask, _ indicator: IndicatorID, _ state: IndicatorState) async throws(DriverError)
}

/// A management interface that sets the boot mode and UEFI secure boot (Ironic's
/// `set_boot_mode`, `set_secure_boot_state`, 1.76).
public protocol BootModeManaging: ManagementInterface {
    /// Sets the boot mode.
    func setBootMode(_ task: DriverTask, _ mode: BootMode) async throws(DriverError)
    /// Turns secure boot on or off.
    func setSecureBoot(_ task: DriverTask, _ enabled: Bool) async throws(DriverError)
}

/// A management interface that attaches images as virtual media (Ironic's
/// `attach_virtual_media`, `detach_virtual_media`, 1.89).
public protocol VirtualMediaManaging: ManagementInterface {
    /// Inserts the image into the device of its type.
    func attachVirtualMedia(_ task: DriverTask, _ media: VirtualMedia) async throws(DriverError)
    /// Ejects the media of these device types (every type when `nil`).
    func detachVirtualMedia(_ task: DriverTask, _ deviceTypes: [VirtualMediaDevice]?) async throws(DriverError)
}
