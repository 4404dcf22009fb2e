import Domain

/// A node's hardware type with the implementation chosen for each interface kind.
public struct ResolvedDriver: Sendable {
    /// The hardware type.
    public let hardwareType: HardwareType
    /// The implementation of each kind.
    public let interfaces: [HardwareInterfaceKind: any HardwareInterface]

    public init(hardwareType: HardwareType, interfaces: [HardwareInterfaceKind: any HardwareInterface]) {
        self.hardwareType = hardwareType
        self.interfaces = interfaces
    }

    /// The names chosen, by kind.
    public var names: [HardwareInterfaceKind: String] { interfaces.mapValues(\.name) }

    public var power: (any PowerInterface)? { interfaces[.power] as? any PowerInterface }
    public var management: (any ManagementInterface)? { interfaces[.management] as? any ManagementInterface }
    public var boot: (any BootInterface)? { interfaces[.boot] as? any BootInterface }
    public var deploy: (any DeployInterface)? { interfaces[.deploy] as? any DeployInterface }
    public var inspect: (any InspectInterface)? { interfaces[.inspect] as? any InspectInterface }
    public var network: (any NetworkInterface)? { interfaces[.network] as? any NetworkInterface }
    public var storage: (any StorageInterface)? { interfaces[.storage] as? any StorageInterface }
    public var rescue: (any RescueInterface)? { interfaces[.rescue] as? any RescueInterface }
    public var console: (any ConsoleInterface)? { interfaces[.console] as? any ConsoleInterface }
    public var vendor: (any VendorInterface)? { interfaces[.vendor] as? any VendorInterface }
    public var bios: (any BIOSInterface)? { interfaces[.bios] as? any BIOSInterface }
    public var firmware: (any FirmwareInterface)? { interfaces[.firmware] as? any FirmwareInterface }

    /// The power interface, or an error naming what is missing.
    public func requirePower() throws(DriverError) -> any PowerInterface {
        guard let power else { throw DriverError("Node has no usable power interface") }
        return power
    }

    /// Every step the node's interfaces offer for `phase`.
    public func steps(for phase: StepPhase, _ task: DriverTask) -> [Step] {
        HardwareInterfaceKind.allCases.flatMap { interfaces[$0]?.steps(for: phase, task) ?? [] }
    }
}
