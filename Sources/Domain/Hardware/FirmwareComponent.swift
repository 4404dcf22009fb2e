import Foundation

/// One firmware component of a node as its firmware interface reported it (Ironic's
/// `FirmwareComponent`, 1.86): `bios`, `bmc`, a NIC…, with the version it came with and the one
/// it runs now.
public struct FirmwareComponent: Sendable, Hashable, Codable {
    public var component: String
    public var initialVersion: String
    public var currentVersion: String?
    public var lastVersionFlashed: String?
    public var createdAt: Int64?
    public var updatedAt: Int64?

    /// A component at `currentVersion` (which is also its initial version unless said).
    public init(component: String, initialVersion: String, currentVersion: String? = nil, lastVersionFlashed: String? = nil) {
        self.component = component
        self.initialVersion = initialVersion
        self.currentVersion = currentVersion ?? initialVersion
        self.lastVersionFlashed = lastVersionFlashed
    }

    /// The same component without its timestamps.
    public var reported: FirmwareComponent {
        var copy = self
        copy.createdAt = nil
        copy.updatedAt = nil
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case component
        case initialVersion = "initial_version"
        case currentVersion = "current_version"
        case lastVersionFlashed = "last_version_flashed"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
