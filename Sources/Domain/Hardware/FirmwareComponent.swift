import Foundation

/// One firmware component of a node as its firmware interface reported it (Ironic's
/// `FirmwareComponent`, 1.86): `bios`, `bmc`, a NIC…, with the version it came with and the one
/// it runs now.
public struct FirmwareComponent: Sendable, Hashable, Codable {
    public var component: String
    public var initialVersion: String
    public var currentVersion: String?
    public var lastVersionFlashed: String?
    /// Who made the component, as the firmware interface reports it (API 1.114).
    public var vendor: String?
    /// The component's model (API 1.114).
    public var model: String?
    /// The component's serial number (API 1.114).
    public var serialNumber: String?
    public var createdAt: Int64?
    public var updatedAt: Int64?

    /// A component at `currentVersion` (which is also its initial version unless said).
    public init(component: String, initialVersion: String, currentVersion: String? = nil, lastVersionFlashed: String? = nil,
                vendor: String? = nil, model: String? = nil, serialNumber: String? = nil) {
        self.vendor = vendor
        self.model = model
        self.serialNumber = serialNumber
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
        case vendor, model
        case serialNumber = "serial_number"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
