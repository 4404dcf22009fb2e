import Domain

/// `redfish` management: the boot override and boot mode of the system's `Boot` object
/// (Ironic's `RedfishManagement`).
///
/// Boot devices map to `BootSourceOverrideTarget` as Ironic maps them: pxe ↔ `Pxe`, disk ↔ `Hdd`,
/// cdrom ↔ `Cd`, bios ↔ `BiosSetup`, uefihttp ↔ `UefiHttp`; persistent ↔
/// `BootSourceOverrideEnabled` `Continuous`, else `Once`. Boot modes: uefi ↔ `UEFI`, bios ↔ `Legacy`.
public struct RedfishManagement: ManagementInterface {
    public let name = "redfish"
    /// Timeouts and retries.
    public let configuration: RedfishConfiguration

    public init(configuration: RedfishConfiguration = RedfishConfiguration()) {
        self.configuration = configuration
    }

    /// Ironic's boot devices and the `BootSourceOverrideTarget` each is.
    public static let bootTargets: [(device: BootDevice, target: String)] = [
        (.pxe, "Pxe"), (.disk, "Hdd"), (.cdrom, "Cd"), (.bios, "BiosSetup"), (.uefihttp, "UefiHttp"),
    ]

    /// The `BootSourceOverrideTarget` for `device`, if Redfish has one.
    public static func target(for device: BootDevice) -> String? {
        bootTargets.first { $0.device == device }?.target
    }

    /// The boot device a `BootSourceOverrideTarget` is, if Ironic has one.
    public static func device(for target: String) -> BootDevice? {
        bootTargets.first { $0.target == target }?.device
    }

    public var properties: [DriverProperty] { RedfishDriverInfo.properties }

    public func validate(_ task: DriverTask) throws(DriverError) {
        _ = try RedfishClient(task, configuration: configuration)
    }

    public func bootDevice(_ task: DriverTask) async throws(DriverError) -> (device: BootDevice?, persistent: Bool?) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        let device = system.bootTarget.flatMap(Self.device(for:))
        let persistent = system.bootEnabled.map { $0 == "Continuous" }
        return (device, persistent)
    }

    /// Every device Redfish can name. What one BMC allows is only known by asking it
    /// (``supportedBootDevices(reading:)``); ``setBootDevice(_:_:persistent:)`` checks it.
    public func supportedBootDevices(_ task: DriverTask) -> [BootDevice] {
        Self.bootTargets.map(\.device)
    }

    /// The devices the system allows (`BootSourceOverrideTarget@Redfish.AllowableValues`), or
    /// every device Redfish can name if it does not say.
    public func supportedBootDevices(reading task: DriverTask) async throws(DriverError) -> [BootDevice] {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        guard let allowed = system.allowedBootTargets else { return supportedBootDevices(task) }
        return Self.bootTargets.filter { allowed.contains($0.target) }.map(\.device)
    }

    public func setBootDevice(_ task: DriverTask, _ device: BootDevice, persistent: Bool) async throws(DriverError) {
        guard let target = Self.target(for: device) else {
            throw DriverError("Boot device \(device.rawValue) is not supported by the redfish management interface; supported: "
                + supportedBootDevices(task).map(\.rawValue).joined(separator: ", "))
        }
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        if let allowed = system.allowedBootTargets, !allowed.contains(target) {
            throw DriverError("The Redfish BMC does not allow boot device \(device.rawValue) (BootSourceOverrideTarget \(target)) for \(system.url); "
                + "it allows: \(allowed.joined(separator: ", "))")
        }
        try await system.client.patch(system.path, ["Boot": [
            "BootSourceOverrideTarget": .string(target),
            "BootSourceOverrideEnabled": persistent ? "Continuous" : "Once",
        ]])
    }

    /// The boot mode the system reports (`BootSourceOverrideMode`), if it reports one.
    public func bootMode(_ task: DriverTask) async throws(DriverError) -> BootMode? {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        switch system.bootMode {
        case "UEFI": return .uefi
        case "Legacy": return .bios
        default: return nil
        }
    }

    /// Sets the boot mode (`BootSourceOverrideMode` `UEFI` or `Legacy`).
    public func setBootMode(_ task: DriverTask, _ mode: BootMode) async throws(DriverError) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        try await system.client.patch(system.path, ["Boot": ["BootSourceOverrideMode": mode == .uefi ? "UEFI" : "Legacy"]])
    }
}
