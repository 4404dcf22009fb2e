import Foundation

/// A switch port moved to a VLAN, as the switch confirmed it: what the node's stream records for
/// every move the `switch` network interface makes, so the node's history shows each one and the
/// port-bindings read model knows which VLAN every switch port is on, since when and why.
public struct SwitchPortChange: Sendable, Hashable, Codable {
    /// The node's port (NIC) cabled to the switch port.
    public var port: UUID
    /// The managed switch, by name.
    public var switchName: String
    /// The switch port (`local_link_connection.port_id`).
    public var switchPort: String
    /// The access VLAN the switch port is on now; ``parkingVLAN`` when it is on no network.
    public var vlan: Int
    /// The configured network that VLAN carries; `nil` when parked.
    public var network: String?
    /// The phase the network serves (`tenant` for a VIF's network); `nil` when parked.
    public var phase: NetworkPhase?
    /// What moved it, in words: `deploy`, `switch_to_tenant_network`, `tear down`, `vif attach`...
    public var reason: String

    /// Where a port on no network waits: VLAN 4095, which 802.1Q reserves and no configured
    /// network can use, so the port reaches nothing — Neutron's OVS agent parks unbound ports on
    /// the same "dead" VLAN. (Clearing the tag instead would make the port a trunk of every VLAN.)
    public static let parkingVLAN = 4095

    /// A change with every field given.
    public init(port: UUID, switchName: String, switchPort: String, vlan: Int, network: String?, phase: NetworkPhase?, reason: String) {
        self.port = port
        self.switchName = switchName
        self.switchPort = switchPort
        self.vlan = vlan
        self.network = network
        self.phase = phase
        self.reason = reason
    }

    /// Whether the port is parked rather than on a network.
    public var isParked: Bool { network == nil }

    enum CodingKeys: String, CodingKey {
        case port, vlan, network, phase, reason
        case switchName = "switch"
        case switchPort = "switch_port"
    }
}

/// Where a node port's switch port is now: the last ``SwitchPortChange`` and when it was recorded.
public struct SwitchPortState: Sendable, Hashable, Codable {
    /// The last change.
    public var change: SwitchPortChange
    /// When it was recorded (µs since 1970).
    public var since: Int64

    /// The state after `change` at `since`.
    public init(change: SwitchPortChange, since: Int64) {
        self.change = change
        self.since = since
    }
}
