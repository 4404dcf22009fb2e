import Domain

/// Boot devices and other out-of-band management (Ironic's `ManagementInterface`).
public protocol ManagementInterface: HardwareInterface {
    /// The boot device the BMC reports, and whether it is persistent (either may be unknown).
    func bootDevice(_ task: DriverTask) async throws(DriverError) -> (device: BootDevice?, persistent: Bool?)
    /// Sets the boot device for the next boot, or for every boot if `persistent`.
    func setBootDevice(_ task: DriverTask, _ device: BootDevice, persistent: Bool) async throws(DriverError)
    /// The boot devices this BMC can set.
    func supportedBootDevices(_ task: DriverTask) -> [BootDevice]
}

extension ManagementInterface {
    public var kind: HardwareInterfaceKind { .management }
}

/// A management interface that can send the node a diagnostic interrupt (Ironic's `inject_nmi`);
/// the API refuses the request with 400 for any other.
public protocol NMIInjecting: ManagementInterface {
    /// Sends a non-maskable interrupt to the node.
    func injectNMI(_ task: DriverTask) async throws(DriverError)
}
