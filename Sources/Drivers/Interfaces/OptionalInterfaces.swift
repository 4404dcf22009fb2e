import Domain

/// The serial or graphical console (Ironic's `ConsoleInterface`).
public protocol ConsoleInterface: HardwareInterface {
    func startConsole(_ task: DriverTask) async throws(DriverError)
    func stopConsole(_ task: DriverTask) async throws(DriverError)
    /// How to reach the console: `{"type": …, "url": …}`.
    func console(_ task: DriverTask) async throws(DriverError) -> JSONValue
}

extension ConsoleInterface {
    public var kind: HardwareInterfaceKind { .console }
}

/// RAID configuration, through its clean and deploy steps (Ironic's `RAIDInterface`).
public protocol RAIDInterface: HardwareInterface {}

extension RAIDInterface {
    public var kind: HardwareInterfaceKind { .raid }
}

/// BIOS settings, through its steps (Ironic's `BIOSInterface`), and the settings the node has
/// now (`cache_bios_settings`), which the engine records.
public protocol BIOSInterface: HardwareInterface {
    /// The node's BIOS settings as the hardware reports them (none by default).
    func biosSettings(_ task: DriverTask) async throws(DriverError) -> [BIOSSetting]
}

extension BIOSInterface {
    public var kind: HardwareInterfaceKind { .bios }
    public func biosSettings(_ task: DriverTask) async throws(DriverError) -> [BIOSSetting] { [] }
}

/// Firmware updates, through its steps (Ironic's `FirmwareInterface`), and the components the
/// node has now (`cache_firmware_components`), which the engine records.
public protocol FirmwareInterface: HardwareInterface {
    /// The node's firmware components as the hardware reports them (none by default).
    func firmwareComponents(_ task: DriverTask) async throws(DriverError) -> [FirmwareComponent]
}

extension FirmwareInterface {
    public var kind: HardwareInterfaceKind { .firmware }
    public func firmwareComponents(_ task: DriverTask) async throws(DriverError) -> [FirmwareComponent] { [] }
}

/// Vendor passthru methods (Ironic's `VendorInterface`).
public protocol VendorInterface: HardwareInterface {
    /// Method name → the HTTP methods it accepts.
    var methods: [String: [String]] { get }
    /// Calls a passthru method with its JSON arguments.
    func call(_ method: String, httpMethod: String, arguments: JSONValue, _ task: DriverTask) async throws(DriverError) -> JSONValue
}

extension VendorInterface {
    public var kind: HardwareInterfaceKind { .vendor }
}
