import Foundation

/// Everything that lives in one node's stream: the node and its ports, port groups, volume
/// connectors and volume targets, plus what the node's operations have recorded.
///
/// `decide` reads it; `evolve` builds it, one event at a time.
public struct NodeAggregate: Sendable, Hashable, Codable {
    /// The node itself.
    public var node: Node
    /// Its ports, by UUID.
    public var ports: [UUID: Port] = [:]
    /// Its port groups (bonds), by UUID.
    public var portGroups: [UUID: PortGroup] = [:]
    /// Its volume connectors, by UUID.
    public var volumeConnectors: [UUID: VolumeConnector] = [:]
    /// Its volume targets, by UUID.
    public var volumeTargets: [UUID: VolumeTarget] = [:]
    /// The hardware inventory the last inspection recorded.
    public var inventory: JSONValue?
    /// Volume targets attached to the node by its storage interface, with when each was
    /// attached (µs since 1970).
    public var attachedVolumes: [UUID: Int64] = [:]
    /// The network phase the node's ports are on (provisioning, cleaning, tenant, ...).
    public var networkPhase: NetworkPhase?
    /// Where the switch port of each of its ports is, by port UUID, as the `switch` network
    /// interface last recorded it.
    public var switchPorts: [UUID: SwitchPortState] = [:]
    /// The data the agent sent beside the last inventory it posted (Ironic's `plugin_data`).
    public var pluginData: JSONValue?
    /// The BIOS settings its bios interface last reported, sorted by name.
    public var biosSettings: [BIOSSetting] = []
    /// The firmware components its firmware interface last reported, sorted by component.
    public var firmwareComponents: [FirmwareComponent] = []
    /// The indicators set through the API, and their states.
    public var indicators: [IndicatorID: IndicatorState] = [:]
    /// The virtual media attached through the API, sorted by device type.
    public var virtualMedia: [VirtualMedia] = []
    /// Whether the node was deleted (the stream ends there).
    public var deleted = false
    /// The version of the node's stream this state reflects (set by whoever folds the stream
    /// with its envelopes; appends expect it, so a decision on stale state is refused).
    public var version: UInt64 = 0

    /// A fresh aggregate around `node`.
    public init(node: Node) { self.node = node }

    /// The node's UUID.
    public var uuid: UUID { node.uuid }

    /// The port carrying `vif`, or the port group carrying it.
    public func binding(of vif: String) -> VIFBinding? {
        if let port = ports.values.first(where: { $0.tenantVIF == vif }) { return .port(port.uuid) }
        if let group = portGroups.values.first(where: { $0.tenantVIF == vif }) { return .portGroup(group.uuid) }
        return nil
    }

    /// The tenant network bound with the VIF on this port, or on its port group.
    public func tenantNetwork(of port: Port) -> String? {
        if let network = port.internalInfo["tenant_network"]?.stringValue, port.tenantVIF != nil { return network }
        if let group = port.portGroupUUID.flatMap({ portGroups[$0] }), group.tenantVIF != nil {
            return group.internalInfo["tenant_network"]?.stringValue
        }
        return nil
    }

    /// Every VIF attached to the node's ports and port groups, sorted.
    public var attachedVIFs: [String] {
        (ports.values.compactMap(\.tenantVIF) + portGroups.values.compactMap(\.tenantVIF)).sorted()
    }
}

/// Where a VIF is bound.
public enum VIFBinding: Sendable, Hashable, Codable {
    case port(UUID)
    case portGroup(UUID)
}

/// The network a node's ports are on, phase by phase of its life (Ironic's network "flip").
public enum NetworkPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case provisioning, cleaning, rescuing, inspection, servicing, tenant
}
