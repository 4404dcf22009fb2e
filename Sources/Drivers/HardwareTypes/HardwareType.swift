import Domain

/// A kind of hardware (`fake-hardware`, `ipmi`, `redfish`…): for each interface kind, the
/// implementations it supports in order of preference — the first one enabled is a node's
/// default (Ironic's `GenericHardware` and its subclasses).
public struct HardwareType: Sendable, Hashable {
    /// Its name, as a node's `driver` field names it.
    public let name: String
    /// Supported implementation names per kind, preferred first.
    public let supported: [HardwareInterfaceKind: [String]]

    public init(name: String, supported: [HardwareInterfaceKind: [String]]) {
        self.name = name
        self.supported = supported
    }
}

extension HardwareType {
    /// What every hardware type supports unless it says otherwise (Ironic's `GenericHardware`,
    /// limited to the implementations Ironlog has).
    static let generic: [HardwareInterfaceKind: [String]] = [
        .boot: ["ipxe", "pxe"], .deploy: ["direct", "ramdisk"], .inspect: ["no-inspect"], .network: ["flat", "noop", "switch"],
        .raid: ["no-raid"], .rescue: ["no-rescue"], .storage: ["noop", "external"], .console: ["no-console"],
        .firmware: ["no-firmware"], .bios: ["no-bios"], .vendor: ["no-vendor"], .power: [], .management: [],
    ]

    /// `fake-hardware`: `fake` first for every kind, then the generic ones — a node walks the whole
    /// state machine without hardware.
    public static let fakeHardware = HardwareType(name: "fake-hardware", supported: generic.merging(
        Dictionary(uniqueKeysWithValues: HardwareInterfaceKind.allCases.map { ($0, ["fake"]) }), uniquingKeysWith: { generic, fake in fake + generic }
    ).merging([.deploy: ["fake", "ramdisk", "direct"]], uniquingKeysWith: { $1 }))

    /// `ipmi`: power and management through `ipmitool`.
    public static let ipmi = HardwareType(name: "ipmi", supported: generic.merging([
        .power: ["ipmitool"], .management: ["ipmitool", "noop"], .vendor: ["ipmitool", "no-vendor"],
    ], uniquingKeysWith: { $1 }))

    /// `redfish`: power, management, inspection, BIOS and RAID through a Redfish BMC.
    public static let redfish = HardwareType(name: "redfish", supported: generic.merging([
        .power: ["redfish"], .management: ["redfish", "noop"], .inspect: ["redfish", "no-inspect"],
        .bios: ["redfish", "no-bios"], .raid: ["redfish", "no-raid"], .boot: ["ipxe", "pxe", "redfish-virtual-media"],
        .vendor: ["redfish", "no-vendor"],
    ], uniquingKeysWith: { $1 }))

    /// `manual-management`: the operator powers and boots the node by hand.
    public static let manualManagement = HardwareType(name: "manual-management", supported: generic.merging([
        .power: ["fake"], .management: ["noop", "fake"],
    ], uniquingKeysWith: { $1 }))
}
