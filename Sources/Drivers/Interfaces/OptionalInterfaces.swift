import Domain

/// The serial or graphical console (Ironic's `ConsoleInterface`).
public protocol ConsoleInterface: HardwareInterface {
    /// Whether it has a console at all (`no-console` has none: Ironic's
    /// `UnsupportedDriverExtension`).
    var providesConsole: Bool { get }
    func startConsole(_ task: DriverTask) async throws(DriverError)
    func stopConsole(_ task: DriverTask) async throws(DriverError)
    /// How to reach the console, e.g. `{"type": …, "url": …}`.
    func console(_ task: DriverTask) async throws(DriverError) -> JSONValue
}

extension ConsoleInterface {
    public var kind: HardwareInterfaceKind { .console }
    public var providesConsole: Bool { true }
}

/// RAID configuration, through its clean and deploy steps (Ironic's `RAIDInterface`).
public protocol RAIDInterface: HardwareInterface {
    /// What a logical disk of a RAID configuration may say: property → description
    /// (`GET /v1/drivers/{name}/raid/logical_disk_properties`).
    var logicalDiskProperties: [String: String] { get }
}

extension RAIDInterface {
    public var kind: HardwareInterfaceKind { .raid }
    /// Ironic's RAID configuration schema's properties, which every interface of its (`no-raid`
    /// included) answers unless it has a schema of its own.
    public var logicalDiskProperties: [String: String] { RAIDLogicalDiskProperties.standard }
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

/// Vendor passthru methods (Ironic's `VendorInterface`): methods called on a node
/// (`vendor_routes`) and on the driver (`driver_routes`).
public protocol VendorInterface: HardwareInterface {
    /// The node methods by name.
    var methods: [String: VendorPassthruMethod] { get }
    /// The driver methods by name.
    var driverMethods: [String: VendorPassthruMethod] { get }
    /// Checks a call's arguments before it is made (Ironic's `validate`): a ``DomainError`` (400)
    /// for arguments the method can not take.
    func validate(_ method: String, arguments: [String: JSONValue]) throws(DomainError)
    /// Calls a node method with its JSON arguments; its return value.
    func call(_ method: String, httpMethod: String, arguments: [String: JSONValue], _ task: DriverTask) async throws(DriverError) -> JSONValue
    /// Calls a driver method with its JSON arguments; its return value.
    func callDriver(_ method: String, httpMethod: String, arguments: [String: JSONValue]) async throws(DriverError) -> JSONValue
}

extension VendorInterface {
    public var kind: HardwareInterfaceKind { .vendor }
}

/// How a vendor passthru method is called, as Ironic's `@passthru` decorator describes it.
public struct VendorPassthruMethod: Sendable, Hashable {
    /// The HTTP methods it answers.
    public var httpMethods: [String]
    /// Whether the call returns at once (202) and runs on (`async`), or answers its value (200).
    public var isAsync: Bool
    /// What it does.
    public var description: String
    /// Whether its value is sent as a file rather than JSON.
    public var attach: Bool
    /// Whether it holds the node exclusively.
    public var requireExclusiveLock: Bool

    /// A method with Ironic's defaults: asynchronous, not attached, exclusive.
    public init(httpMethods: [String], isAsync: Bool = true, description: String, attach: Bool = false, requireExclusiveLock: Bool = true) {
        self.httpMethods = httpMethods
        self.isAsync = isAsync
        self.description = description
        self.attach = attach
        self.requireExclusiveLock = requireExclusiveLock
    }

    /// Its metadata as `/vendor_passthru/methods` shows it.
    public var json: JSONValue {
        ["http_methods": .array(httpMethods.map(JSONValue.string)), "async": .bool(isAsync), "description": .string(description),
         "attach": .bool(attach), "require_exclusive_lock": .bool(requireExclusiveLock)]
    }
}
