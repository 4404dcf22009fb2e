/// The thirteen kinds of hardware interface a node has, each set per node by `<kind>_interface`.
public enum HardwareInterfaceKind: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
    case bios, boot, console, deploy, firmware, inspect, management, network, power, raid, rescue, storage, vendor

    /// The node field that names this kind's implementation, e.g. `power_interface`.
    public var fieldName: String { rawValue + "_interface" }
}
