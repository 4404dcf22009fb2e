import Domain

/// `redfish` management's secure boot and virtual media, and the settings `redfish` BIOS reports.
///
/// - Secure boot: `SecureBootEnable` of the system's `SecureBoot` resource.
/// - Virtual media: `VirtualMedia.InsertMedia` / `EjectMedia` on the device of each type
///   (cdrom ↔ `CD`/`DVD`, disk ↔ `USBStick`/`HDD`, floppy ↔ `Floppy`).
extension RedfishManagement: BootModeManaging, VirtualMediaManaging {
    public func setSecureBoot(_ task: DriverTask, _ enabled: Bool) async throws(DriverError) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        guard let path = system.resource.link("SecureBoot") else {
            throw DriverError("The Redfish BMC does not support secure boot for \(system.url) (the system has no SecureBoot resource)")
        }
        try await system.client.patch(path, ["SecureBootEnable": .bool(enabled)])
    }

    public func attachVirtualMedia(_ task: DriverTask, _ media: VirtualMedia) async throws(DriverError) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        try await RedfishVirtualMedia.device(media.deviceType, of: system).insert(media.imageURL)
    }

    public func detachVirtualMedia(_ task: DriverTask, _ deviceTypes: [VirtualMediaDevice]?) async throws(DriverError) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        for deviceType in deviceTypes ?? VirtualMediaDevice.allCases {
            let device: RedfishVirtualMedia
            do { device = try await RedfishVirtualMedia.device(deviceType, of: system) } catch {
                // Detaching every type skips the ones the BMC does not have.
                if deviceTypes == nil { continue }
                throw error
            }
            try await device.eject()
        }
    }
}

extension RedfishBIOS {
    /// The `Attributes` of the system's `Bios` resource, as settings (values as text).
    public func biosSettings(_ task: DriverTask) async throws(DriverError) -> [BIOSSetting] {
        try await attributes(task).map { name, value in
            let text: String? = switch value {
            case .null: nil
            case .string(let string): string
            case .bool(let flag): String(flag)
            case .number(let number): number.rounded() == number ? String(Int64(number)) : String(number)
            default: "\(value)"
            }
            return BIOSSetting(name: name, value: text)
        }.sorted { $0.name < $1.name }
    }
}
