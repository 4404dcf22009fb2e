import Foundation

/// A tenant or phase network configured in Ironlog (`/v1/networks`): a name, the VLAN that
/// carries it on the managed switches, and optionally the physical network it lives on. There is
/// no Neutron: these records are what VIFs and the engine's phase networks name. Its life is the
/// stream `network/<uuid>`.
public struct Network: Sendable, Hashable, Codable {
    public var uuid: UUID
    /// Unique among networks; what a VIF's `network` and `--provisioning-network` name.
    public var name: String
    /// The 802.1Q VLAN id, 1 to 4094.
    public var vlan: Int
    /// The physical network (Ironic's port `physical_network`) it reaches, if restricted to one.
    public var physicalNetwork: String?
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// The VLAN ids a network may use: 0 and 4095 are reserved by 802.1Q.
    public static let vlanRange = 1...4094

    /// A network with these fields.
    public init(uuid: UUID, name: String, vlan: Int, physicalNetwork: String? = nil) {
        self.uuid = uuid
        self.name = name
        self.vlan = vlan
        self.physicalNetwork = physicalNetwork
    }

    enum CodingKeys: String, CodingKey {
        case uuid, name, vlan
        case physicalNetwork = "physical_network"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// The stream of a network and back.
public enum NetworkStream {
    /// The prefix of every network stream.
    public static let prefix = "network/"

    /// `network/<uuid>`.
    public static func id(_ uuid: UUID) -> String { prefix + uuid.lowercased }

    /// The network UUID of a stream id, if it is a network stream.
    public static func network(of streamID: String) -> UUID? {
        guard streamID.hasPrefix(prefix) else { return nil }
        return UUID(canonical: streamID.dropFirst(prefix.count))
    }
}
