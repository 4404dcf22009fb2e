import Domain

/// `redfish-virtual-media` boot: the BMC's virtual CD drive serves the image, and the system
/// boots from it (Ironic's `RedfishVirtualMediaBoot`, for images already built as ISOs — it
/// does not build an ISO from a kernel and ramdisk).
///
/// - ``prepareRamdisk(_:)`` inserts `driver_info.redfish_deploy_iso` (or `deploy_iso`) into the
///   virtual CD and sets the boot device to `Cd` once.
/// - ``prepareInstance(_:)`` inserts the instance's ISO — `instance_info.boot_iso`, else
///   `instance_info.image_source` when the deploy writes no image (`ramdisk`) or it is an
///   `.iso` — and boots from `Cd` persistently, so the instance comes back on every boot; an
///   instance on the local disk gets its media ejected and the boot device set to `Hdd`
///   persistently, as Ironic does.
/// - ``cleanUpRamdisk(_:)`` and ``cleanUpInstance(_:)`` eject the media.
///
/// The BMC downloads the image itself, so its URL must be reachable from the BMC.
public struct RedfishVirtualMediaBoot: BootInterface {
    public let name = "redfish-virtual-media"
    /// Timeouts and retries.
    public let configuration: RedfishConfiguration

    public init(configuration: RedfishConfiguration = RedfishConfiguration()) {
        self.configuration = configuration
    }

    public var properties: [DriverProperty] {
        RedfishDriverInfo.properties + [
            DriverProperty("redfish_deploy_iso", "URL of the bootable ISO of the deploy ramdisk, downloaded by the BMC into its virtual CD "
                + "(deploy_iso is read too).", required: true),
        ]
    }

    public func validate(_ task: DriverTask) throws(DriverError) {
        _ = try RedfishClient(task, configuration: configuration)
        if deployISO(task) == nil { throw DriverError.missingInfo(["redfish_deploy_iso"], interface: kind.rawValue) }
    }

    /// The deploy ramdisk's ISO URL from `driver_info`.
    func deployISO(_ task: DriverTask) -> String? {
        for key in ["redfish_deploy_iso", "deploy_iso"] {
            if let url = task.info(key), !url.isEmpty { return url }
        }
        return nil
    }

    /// The instance's ISO URL from `instance_info`, if it boots from one.
    func instanceISO(_ task: DriverTask) -> String? {
        if let url = task.node.instanceInfo["boot_iso"]?.stringValue, !url.isEmpty { return url }
        guard let source = task.node.instanceInfo["image_source"]?.stringValue, !source.isEmpty else { return nil }
        let writesImage = task.driver.deploy?.writesImage ?? true
        let path = source.split(separator: "?").first.map(String.init) ?? source
        return !writesImage || path.lowercased().hasSuffix(".iso") ? source : nil
    }

    public func prepareRamdisk(_ task: DriverTask) async throws(DriverError) {
        guard let iso = deployISO(task) else {
            throw DriverError.missingInfo(["redfish_deploy_iso"], interface: kind.rawValue)
        }
        try await boot(task, from: iso, persistent: false)
    }

    public func cleanUpRamdisk(_ task: DriverTask) async throws(DriverError) {
        try await eject(task)
    }

    public func prepareInstance(_ task: DriverTask) async throws(DriverError) {
        if let iso = instanceISO(task) {
            try await boot(task, from: iso, persistent: true)
        } else {
            try await eject(task)
            try await RedfishManagement(configuration: configuration).setBootDevice(task, .disk, persistent: true)
        }
    }

    public func cleanUpInstance(_ task: DriverTask) async throws(DriverError) {
        try await eject(task)
    }

    /// Inserts `iso` into the virtual CD and boots from it next (or always).
    private func boot(_ task: DriverTask, from iso: String, persistent: Bool) async throws(DriverError) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        try await RedfishVirtualMedia.cd(of: system).insert(iso)
        try await RedfishManagement(configuration: configuration).setBootDevice(task, .cdrom, persistent: persistent)
    }

    /// Ejects the virtual CD's media, if any.
    private func eject(_ task: DriverTask) async throws(DriverError) {
        let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: configuration))
        try await RedfishVirtualMedia.cd(of: system).eject()
    }
}
