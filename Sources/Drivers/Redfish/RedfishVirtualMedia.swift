import Domain

/// A system's virtual media device (a CD drive, a USB stick, a floppy): found through the
/// system's `VirtualMedia` collection (where sushy and many BMCs have it), else through its
/// managers' (`Links.ManagedBy`), as the first device whose `MediaTypes` fit.
public struct RedfishVirtualMedia: Sendable {
    /// The system it belongs to.
    public let system: RedfishSystem
    /// The device resource as last read.
    public let device: RedfishResource

    /// The device's `@odata.id`.
    public var path: String { device.path }
    /// Whether media is inserted.
    public var inserted: Bool { device.json["Inserted"]?.boolValue ?? false }
    /// The URL of the inserted image, if any.
    public var image: String? {
        guard let image = device.json["Image"]?.stringValue, !image.isEmpty else { return nil }
        return image
    }

    /// The system's virtual CD (or DVD) drive.
    public static func cd(of system: RedfishSystem) async throws(DriverError) -> RedfishVirtualMedia {
        try await device(.cdrom, of: system)
    }

    /// The Redfish `MediaTypes` that serve as each of Ironic's virtual media device types.
    public static func mediaTypes(for device: VirtualMediaDevice) -> Set<String> {
        switch device {
        case .cdrom: ["CD", "DVD"]
        case .disk: ["USBStick", "HDD"]
        case .floppy: ["Floppy"]
        }
    }

    /// The system's virtual media device for `deviceType`: the first device whose `MediaTypes`
    /// include one of ``mediaTypes(for:)``.
    public static func device(_ deviceType: VirtualMediaDevice, of system: RedfishSystem) async throws(DriverError) -> RedfishVirtualMedia {
        let client = system.client
        let wanted = mediaTypes(for: deviceType)
        var searched: [String] = []
        var seen: [String] = []
        if let own = system.resource.link("VirtualMedia") {
            searched.append(own)
            if let device = try await device(in: own, wanted, system, seen: &seen) { return device }
        }
        for manager in system.resource.json["Links"]?["ManagedBy"]?.arrayValue ?? [] {
            guard let path = manager["@odata.id"]?.stringValue, let resource = try await client.getIfPresent(path),
                  let media = resource.link("VirtualMedia"), !searched.contains(media) else { continue }
            searched.append(media)
            if let device = try await device(in: media, wanted, system, seen: &seen) { return device }
        }
        throw DriverError("The Redfish BMC has no virtual \(deviceType == .cdrom ? "CD or DVD" : deviceType.rawValue) drive for \(system.url)"
            + (seen.isEmpty ? "" : "; its virtual media: \(seen.joined(separator: ", "))"))
    }

    /// The first device of the collection at `collectionPath` taking one of `wanted`, noting every device in `seen`.
    private static func device(in collectionPath: String, _ wanted: Set<String>, _ system: RedfishSystem,
                               seen: inout [String]) async throws(DriverError) -> RedfishVirtualMedia? {
        let client = system.client
        guard let collection = try await client.getIfPresent(collectionPath) else { return nil }
        for member in collection.members {
            guard let device = try await client.getIfPresent(member) else { continue }
            let types = device.json["MediaTypes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            seen.append("\(device.json["Id"]?.stringValue ?? member) (\(types.joined(separator: ", ")))")
            if !wanted.isDisjoint(with: types) { return RedfishVirtualMedia(system: system, device: device) }
        }
        return nil
    }

    /// Inserts the image at `url` (ejecting other media first) and checks that the BMC shows it.
    @discardableResult
    public func insert(_ url: String) async throws(DriverError) -> RedfishVirtualMedia {
        let client = system.client
        var current = self
        if current.inserted {
            if current.image == url { return current }
            current = try await current.eject()
        }
        let target = device.actionTarget("#VirtualMedia.InsertMedia") ?? path + "/Actions/VirtualMedia.InsertMedia"
        try await client.post(target, ["Image": .string(url), "Inserted": true, "WriteProtected": true])
        current = RedfishVirtualMedia(system: system, device: try await client.get(path))
        guard current.inserted else {
            throw DriverError("The Redfish BMC accepted inserting \(url) into \(client.url(path)) but does not show it inserted")
        }
        return current
    }

    /// Ejects the media, if any.
    @discardableResult
    public func eject() async throws(DriverError) -> RedfishVirtualMedia {
        guard inserted else { return self }
        let client = system.client
        let target = device.actionTarget("#VirtualMedia.EjectMedia") ?? path + "/Actions/VirtualMedia.EjectMedia"
        try await client.post(target, .emptyObject)
        return RedfishVirtualMedia(system: system, device: try await client.get(path))
    }
}
