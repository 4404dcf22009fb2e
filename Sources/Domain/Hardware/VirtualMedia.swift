import Foundation

/// A virtual media device type (Ironic's `boot_devices` for vmedia, 1.89).
public enum VirtualMediaDevice: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case cdrom, disk, floppy

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the BMC gets a virtual media image from (Ironic's `image_download_source`).
public enum ImageDownloadSource: String, Sendable, Hashable, Codable, CaseIterable {
    case http, local, swift
}

/// An image attached to a node as virtual media (`POST /v1/nodes/{id}/vmedia`).
public struct VirtualMedia: Sendable, Hashable, Codable {
    public var deviceType: VirtualMediaDevice
    public var imageURL: String
    public var imageDownloadSource: ImageDownloadSource

    public init(deviceType: VirtualMediaDevice, imageURL: String, imageDownloadSource: ImageDownloadSource = .http) {
        self.deviceType = deviceType
        self.imageURL = imageURL
        self.imageDownloadSource = imageDownloadSource
    }

    enum CodingKeys: String, CodingKey {
        case deviceType = "device_type"
        case imageURL = "image_url"
        case imageDownloadSource = "image_download_source"
    }
}
