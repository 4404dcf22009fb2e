import Foundation

/// A network event Neutron sends about a port (`POST /v1/events`, 1.54), as recorded on the node
/// that owns the port with its MAC address.
public struct NetworkEvent: Sendable, Hashable, Codable {
    /// What happened to the port.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case bindPort = "network.bind_port"
        case unbindPort = "network.unbind_port"
        case deletePort = "network.delete_port"
    }

    public var event: Kind
    /// Neutron's port id.
    public var portID: String
    public var macAddress: String
    public var status: String
    public var deviceID: String?
    public var bindingHostID: String?
    public var bindingVNICType: String?

    public init(event: Kind, portID: String, macAddress: String, status: String, deviceID: String? = nil,
                bindingHostID: String? = nil, bindingVNICType: String? = nil) {
        self.event = event
        self.portID = portID
        self.macAddress = macAddress
        self.status = status
        self.deviceID = deviceID
        self.bindingHostID = bindingHostID
        self.bindingVNICType = bindingVNICType
    }

    enum CodingKeys: String, CodingKey {
        case event
        case portID = "port_id"
        case macAddress = "mac_address"
        case status
        case deviceID = "device_id"
        case bindingHostID = "binding:host_id"
        case bindingVNICType = "binding:vnic_type"
    }
}
