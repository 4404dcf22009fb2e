import Foundation

/// What ports, port groups and volume resources share: they belong to a node's stream, have their
/// own UUID, and carry the times of their creation and last change.
public protocol NodeResource: Codable, Sendable, Equatable {
    var uuid: UUID { get }
    var nodeUUID: UUID { get }
    var createdAt: Int64 { get set }
    var updatedAt: Int64? { get set }
}

extension Port: NodeResource {}
extension PortGroup: NodeResource {}
extension VolumeConnector: NodeResource {}
extension VolumeTarget: NodeResource {}

/// A physical NIC of a node (`/v1/ports`): its MAC, where it is cabled (`local_link_connection`),
/// its physical network, and — once a tenant network is bound — the VIF it carries.
public struct Port: Sendable, Hashable, Codable {
    public var uuid: UUID
    public var nodeUUID: UUID
    public var address: String
    public var name: String?
    public var portGroupUUID: UUID?
    public var localLinkConnection: JSONValue = .emptyObject
    public var pxeEnabled = true
    public var physicalNetwork: String?
    public var extra: JSONValue = .emptyObject
    public var internalInfo: JSONValue = .emptyObject
    public var isSmartNIC = false
    public var description: String?
    public var vendor: String?
    public var category: String?
    /// Whether the port may join a port group the network service builds dynamically (API 1.111);
    /// `nil` (never set) reads as `false`.
    public var availableForDynamicPortGroup: Bool?
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// A port with the given MAC on `node`.
    public init(uuid: UUID, nodeUUID: UUID, address: String) {
        self.uuid = uuid
        self.nodeUUID = nodeUUID
        self.address = address
    }

    /// The tenant VIF bound to this port (`internal_info.tenant_vif_port_id`), if any.
    public var tenantVIF: String? { internalInfo["tenant_vif_port_id"]?.stringValue }

    enum CodingKeys: String, CodingKey {
        case uuid
        case nodeUUID = "node_uuid"
        case address, name
        case portGroupUUID = "portgroup_uuid"
        case localLinkConnection = "local_link_connection"
        case pxeEnabled = "pxe_enabled"
        case physicalNetwork = "physical_network"
        case extra
        case internalInfo = "internal_info"
        case isSmartNIC = "is_smartnic"
        case description, vendor, category
        case availableForDynamicPortGroup = "available_for_dynamic_portgroup"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A bond of ports (`/v1/portgroups`): binding it binds every member.
public struct PortGroup: Sendable, Hashable, Codable {
    public var uuid: UUID
    public var nodeUUID: UUID
    public var address: String?
    public var name: String?
    public var mode: String = "active-backup"
    public var properties: JSONValue = .emptyObject
    public var standalonePortsSupported = true
    public var physicalNetwork: String?
    public var extra: JSONValue = .emptyObject
    public var internalInfo: JSONValue = .emptyObject
    public var category: String?
    /// Whether the group was built dynamically from ports available for it (API 1.111); `nil`
    /// (never set) reads as `false`.
    public var dynamicPortGroup: Bool?
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// A port group on `node`.
    public init(uuid: UUID, nodeUUID: UUID) {
        self.uuid = uuid
        self.nodeUUID = nodeUUID
    }

    /// The tenant VIF bound to this group, if any.
    public var tenantVIF: String? { internalInfo["tenant_vif_port_id"]?.stringValue }

    enum CodingKeys: String, CodingKey {
        case uuid
        case nodeUUID = "node_uuid"
        case address, name, mode, properties
        case standalonePortsSupported = "standalone_ports_supported"
        case physicalNetwork = "physical_network"
        case extra
        case internalInfo = "internal_info"
        case category
        case dynamicPortGroup = "dynamic_portgroup"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// The node's initiator side of a remote volume (`/v1/volume/connectors`): an iSCSI IQN, a Fibre
/// Channel WWNN/WWPN, an IP or MAC.
public struct VolumeConnector: Sendable, Hashable, Codable {
    public var uuid: UUID
    public var nodeUUID: UUID
    public var type: String
    public var connectorID: String
    public var extra: JSONValue = .emptyObject
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// A connector of `type` with `connectorID` on `node`.
    public init(uuid: UUID, nodeUUID: UUID, type: String, connectorID: String) {
        self.uuid = uuid
        self.nodeUUID = nodeUUID
        self.type = type
        self.connectorID = connectorID
    }

    enum CodingKeys: String, CodingKey {
        case uuid
        case nodeUUID = "node_uuid"
        case type
        case connectorID = "connector_id"
        case extra
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A remote volume the node can use (`/v1/volume/targets`); `boot_index` 0 is the boot volume.
public struct VolumeTarget: Sendable, Hashable, Codable {
    public var uuid: UUID
    public var nodeUUID: UUID
    public var volumeType: String
    public var bootIndex: Int
    public var volumeID: String
    public var properties: JSONValue = .emptyObject
    public var extra: JSONValue = .emptyObject
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// A target of `volumeType` at `bootIndex` on `node`.
    public init(uuid: UUID, nodeUUID: UUID, volumeType: String, bootIndex: Int, volumeID: String) {
        self.uuid = uuid
        self.nodeUUID = nodeUUID
        self.volumeType = volumeType
        self.bootIndex = bootIndex
        self.volumeID = volumeID
    }

    enum CodingKeys: String, CodingKey {
        case uuid
        case nodeUUID = "node_uuid"
        case volumeType = "volume_type"
        case bootIndex = "boot_index"
        case volumeID = "volume_id"
        case properties, extra
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
