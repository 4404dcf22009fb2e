import Foundation

/// A chassis (Ironic's `/v1/chassis`): a description and `extra` that nodes may point at with
/// their `chassis_uuid`. Its life is the stream `chassis/<uuid>`.
public struct Chassis: Sendable, Hashable, Codable {
    public var uuid: UUID
    /// At most 255 characters.
    public var description: String?
    public var extra: JSONValue = .emptyObject
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// The longest description Ironic accepts.
    public static let maximumDescriptionLength = 255

    /// A chassis with these fields.
    public init(uuid: UUID, description: String? = nil, extra: JSONValue = .emptyObject) {
        self.uuid = uuid
        self.description = description
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case uuid, description, extra
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// The stream of a chassis and back.
public enum ChassisStream {
    /// The prefix of every chassis stream.
    public static let prefix = "chassis/"

    /// `chassis/<uuid>`.
    public static func id(_ uuid: UUID) -> String { prefix + uuid.lowercased }

    /// The chassis UUID of a stream id, if it is a chassis stream.
    public static func chassis(of streamID: String) -> UUID? {
        guard streamID.hasPrefix(prefix) else { return nil }
        return UUID(canonical: streamID.dropFirst(prefix.count))
    }
}
