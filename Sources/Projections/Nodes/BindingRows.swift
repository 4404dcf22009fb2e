import Domain
import EventStore
import Foundation

/// One row of the network port bindings read model: a port or port group, where it is cabled,
/// what it is bound to, which network phase its node's ports are on, and — for a port on a
/// managed switch — which VLAN its switch port is on, since when and why.
public struct PortBindingRow: Codable, Sendable, Hashable {
    public var node: UUID
    public var isPortGroup: Bool
    public var address: String?
    public var localLinkConnection: JSONValue
    public var physicalNetwork: String?
    public var pxeEnabled: Bool
    public var portGroup: UUID?
    /// The tenant VIF bound to it (network-bind), if any.
    public var vif: String?
    /// The network the node's ports are on now: provisioning, cleaning, tenant, ...
    public var networkPhase: NetworkPhase?
    /// The tenant network bound with the VIF, if one was named.
    public var tenantNetwork: String?
    /// Where its switch port is, as the `switch` network interface last recorded it.
    public var switchPort: SwitchPortState?

    /// A row with every field given.
    public init(node: UUID, isPortGroup: Bool, address: String?, localLinkConnection: JSONValue, physicalNetwork: String?,
                pxeEnabled: Bool, portGroup: UUID?, vif: String?, networkPhase: NetworkPhase?,
                tenantNetwork: String? = nil, switchPort: SwitchPortState? = nil) {
        self.node = node
        self.isPortGroup = isPortGroup
        self.address = address
        self.localLinkConnection = localLinkConnection
        self.physicalNetwork = physicalNetwork
        self.pxeEnabled = pxeEnabled
        self.portGroup = portGroup
        self.vif = vif
        self.networkPhase = networkPhase
        self.tenantNetwork = tenantNetwork
        self.switchPort = switchPort
    }

    enum CodingKeys: String, CodingKey {
        case node = "node_uuid", isPortGroup = "is_portgroup", address
        case localLinkConnection = "local_link_connection", physicalNetwork = "physical_network"
        case pxeEnabled = "pxe_enabled", portGroup = "portgroup_uuid", vif, networkPhase = "network_phase"
        case tenantNetwork = "tenant_network", switchPort = "switch_port"
    }
}

/// One row of the volume attachments read model: a volume target or connector of a node, and
/// whether the storage interface has it attached (since when) and the node boots from it.
public struct VolumeAttachmentRow: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case target, connector }

    public var node: UUID
    public var kind: Kind
    /// `iscsi`, `fibre_channel`, ... for a target; `iqn`, `wwpn`, ... for a connector.
    public var type: String
    /// The backend volume id of a target, or the connector id.
    public var identifier: String
    public var bootIndex: Int?
    public var attached: Bool
    /// When the storage interface attached it (µs since 1970; 0 if the log does not say), while
    /// it is attached.
    public var attachedAt: Int64?
    /// Whether this target is the node's boot volume (boot index 0).
    public var bootVolume: Bool

    enum CodingKeys: String, CodingKey {
        case node = "node_uuid", kind, type, identifier, bootIndex = "boot_index", attached, attachedAt = "attached_at"
        case bootVolume = "boot_volume"
    }
}

extension NodeAggregate {
    /// The binding rows of this node's ports and port groups, keyed by their UUIDs.
    var bindingRows: [UUID: PortBindingRow] {
        var rows: [UUID: PortBindingRow] = [:]
        for port in ports.values {
            rows[port.uuid] = PortBindingRow(
                node: uuid, isPortGroup: false, address: port.address, localLinkConnection: port.localLinkConnection,
                physicalNetwork: port.physicalNetwork, pxeEnabled: port.pxeEnabled, portGroup: port.portGroupUUID,
                vif: port.tenantVIF, networkPhase: networkPhase,
                tenantNetwork: port.tenantVIF == nil ? nil : port.internalInfo["tenant_network"]?.stringValue,
                switchPort: switchPorts[port.uuid]
            )
        }
        for group in portGroups.values {
            rows[group.uuid] = PortBindingRow(
                node: uuid, isPortGroup: true, address: group.address, localLinkConnection: .emptyObject,
                physicalNetwork: group.physicalNetwork, pxeEnabled: false, portGroup: nil,
                vif: group.tenantVIF, networkPhase: networkPhase,
                tenantNetwork: group.tenantVIF == nil ? nil : group.internalInfo["tenant_network"]?.stringValue
            )
        }
        return rows
    }

    /// The volume rows of this node's targets and connectors, keyed by their UUIDs.
    var volumeRows: [UUID: VolumeAttachmentRow] {
        var rows: [UUID: VolumeAttachmentRow] = [:]
        for target in volumeTargets.values {
            rows[target.uuid] = VolumeAttachmentRow(
                node: uuid, kind: .target, type: target.volumeType, identifier: target.volumeID, bootIndex: target.bootIndex,
                attached: attachedVolumes[target.uuid] != nil, attachedAt: attachedVolumes[target.uuid], bootVolume: target.bootIndex == 0
            )
        }
        for connector in volumeConnectors.values {
            rows[connector.uuid] = VolumeAttachmentRow(
                node: uuid, kind: .connector, type: connector.type, identifier: connector.connectorID, bootIndex: nil,
                attached: false, attachedAt: nil, bootVolume: false
            )
        }
        return rows
    }
}

/// Reading the bindings and attachments read models.
public enum BindingReadModel {
    /// Every port and port group binding in the fleet, by port (group) UUID.
    public static func portBindings(in transaction: ReadTransaction, tables: NodeTables) throws -> [UUID: PortBindingRow] {
        try rows(PortBindingRow.self, in: transaction, database: tables.bindings)
    }

    /// Every volume target and connector in the fleet with its attachment state, by UUID.
    public static func volumeAttachments(in transaction: ReadTransaction, tables: NodeTables) throws -> [UUID: VolumeAttachmentRow] {
        try rows(VolumeAttachmentRow.self, in: transaction, database: tables.volumes)
    }

    private static func rows<Row: Decodable>(_ type: Row.Type, in transaction: ReadTransaction, database: Database) throws -> [UUID: Row] {
        var rows: [UUID: Row] = [:]
        try transaction.forEach(in: database) { key, value in
            guard let uuid = NodeTables.uuid(Array(key)) else { return true }
            rows[uuid] = try JSONValueDecoder().decode(Row.self, from: Data(value))
            return true
        }
        return rows
    }
}
