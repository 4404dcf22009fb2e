import Domain
import Foundation

/// What the engine tells the `switch` network interface about one node: which network serves
/// each phase, the managed switches, the configured networks (for the node's VIFs' tenant
/// networks), and where to record each switch port move once the switch has confirmed it.
public struct SwitchNetworking: Sendable {
    /// The network serving each phase, as the engine is configured (no entry: none configured).
    public var phaseNetworks: [NetworkPhase: Network]
    /// The network names the engine is configured with per phase, whether they exist or not.
    public var configuredPhaseNetworks: [NetworkPhase: String]
    /// Every managed switch.
    public var switches: [ManagedSwitch]
    /// Every configured network, by name.
    public var networks: [String: Network]
    /// The tenant network of each of the node's ports that carries (or whose port group
    /// carries) a VIF bound with a network, by port UUID.
    public var tenantNetworks: [UUID: String]
    /// Records a move the switch confirmed; throws if it could not be recorded.
    public var record: @Sendable (SwitchPortChange) async throws -> Void

    /// Networking with every part given.
    public init(phaseNetworks: [NetworkPhase: Network], configuredPhaseNetworks: [NetworkPhase: String] = [:], switches: [ManagedSwitch],
                networks: [String: Network], tenantNetworks: [UUID: String], record: @escaping @Sendable (SwitchPortChange) async throws -> Void) {
        self.phaseNetworks = phaseNetworks
        self.configuredPhaseNetworks = configuredPhaseNetworks
        self.switches = switches
        self.networks = networks
        self.tenantNetworks = tenantNetworks
        self.record = record
    }

    /// The network serving `phase`: inspection and servicing fall back to the provisioning
    /// network when they have none of their own; `tenant` has none (it is per VIF).
    public func network(for phase: NetworkPhase) -> Network? {
        switch phase {
        case .inspection, .servicing: phaseNetworks[phase] ?? phaseNetworks[.provisioning]
        case .tenant: nil
        default: phaseNetworks[phase]
        }
    }

    /// Why `phase` has no network, in words an operator can act on.
    public func missingNetwork(for phase: NetworkPhase) -> String {
        let fallback = phase == .inspection || phase == .servicing ? .provisioning : phase
        for candidate in [phase, fallback] {
            if let name = configuredPhaseNetworks[candidate], phaseNetworks[candidate] == nil {
                return "the \(candidate.rawValue) network \(name) the engine is configured with does not exist (create it with POST /v1/networks)"
            }
        }
        return "no \(phase.rawValue) network is configured (start ironlog serve with --\(phase.rawValue)-network NAME)"
    }

    /// The managed switch a port's `local_link_connection` names, `nil` for a port that names
    /// none (an empty connection, or `network_type: unmanaged`); throws for a port that names a
    /// switch Ironlog does not manage, or no switch port.
    public func attachment(of port: Domain.Port) throws(DriverError) -> SwitchAttachment? {
        let link = port.localLinkConnection
        guard case .object(let members) = link, !members.isEmpty, members["network_type"]?.stringValue != "unmanaged" else { return nil }
        guard members["switch_id"] != nil || members["switch_info"] != nil else { return nil }
        let named = [members["switch_id"]?.stringValue.map { "switch_id \($0)" }, members["switch_info"]?.stringValue.map { "switch_info \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
        guard let managed = switches.first(where: { $0.isNamed(by: link) }) else {
            throw DriverError("Port \(port.uuid.lowercased) (\(port.address)) is cabled to \(named), which is not a managed switch; "
                + "register it with POST /v1/switches or correct the port's local_link_connection.")
        }
        guard let switchPort = members["port_id"]?.stringValue, !switchPort.isEmpty else {
            throw DriverError("Port \(port.uuid.lowercased) (\(port.address)) names switch \(managed.name) but no port_id in its local_link_connection.")
        }
        return SwitchAttachment(port: port, managedSwitch: managed, switchPort: switchPort)
    }
}

/// One node port cabled to a port of a managed switch.
public struct SwitchAttachment: Sendable, Hashable {
    /// The node's port (NIC).
    public let port: Domain.Port
    /// The switch.
    public let managedSwitch: ManagedSwitch
    /// The switch's port (`local_link_connection.port_id`).
    public let switchPort: String
}
