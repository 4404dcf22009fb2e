import Foundation

/// A switch Ironlog configures (`/v1/switches`): the `switch` network interface moves the access
/// VLAN of its ports. A node port's `local_link_connection` names one of its ports — by
/// `switch_id`, or by `switch_info` equal to the switch's name. Its life is the stream
/// `switch/<uuid>`.
public struct ManagedSwitch: Sendable, Hashable, Codable {
    public var uuid: UUID
    /// Unique among switches; what `switch_info` may name.
    public var name: String
    /// Its MAC address or OpenFlow datapath id, normalized as `local_link_connection.switch_id` is.
    public var switchID: String
    /// How it is driven; `ovs` (Open vSwitch through `ovs-vsctl`) is the one driver.
    public var driver: String
    /// Where its OVSDB listens: `unix:/path/to/db.sock` or `tcp:HOST:PORT`.
    public var ovsdb: String
    /// The bridge its node-facing ports belong to.
    public var bridge: String
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// The drivers a switch may have.
    public static let drivers: Set<String> = ["ovs"]

    /// A switch with these fields.
    public init(uuid: UUID, name: String, switchID: String, driver: String = "ovs", ovsdb: String, bridge: String) {
        self.uuid = uuid
        self.name = name
        self.switchID = switchID
        self.driver = driver
        self.ovsdb = ovsdb
        self.bridge = bridge
    }

    /// Whether a port's `local_link_connection` names this switch: its `switch_id` (normalized)
    /// is this switch's, or its `switch_info` is this switch's name.
    public func isNamed(by link: JSONValue) -> Bool {
        if let id = link["switch_id"]?.stringValue, (try? SwitchID(id).value) == switchID { return true }
        return link["switch_info"]?.stringValue == name
    }

    enum CodingKeys: String, CodingKey {
        case uuid, name, driver, ovsdb, bridge
        case switchID = "switch_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// The stream of a switch and back.
public enum SwitchStream {
    /// The prefix of every switch stream.
    public static let prefix = "switch/"

    /// `switch/<uuid>`.
    public static func id(_ uuid: UUID) -> String { prefix + uuid.lowercased }

    /// The switch UUID of a stream id, if it is a switch stream.
    public static func managedSwitch(of streamID: String) -> UUID? {
        guard streamID.hasPrefix(prefix) else { return nil }
        return UUID(canonical: streamID.dropFirst(prefix.count))
    }
}
