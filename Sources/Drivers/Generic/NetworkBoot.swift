import Domain
import Foundation

/// The `ipxe` and `pxe` boot interfaces (Ironic's `iPXEBoot` and `PXEBoot`): a node boots from
/// the network, reading files Ironlog writes under ``BootConfiguration/root``.
///
/// - ``prepareRamdisk(_:)`` writes a config booting the deploy ramdisk (`driver_info.deploy_kernel`,
///   `deploy_ramdisk`; the rescue ones while rescuing) with the kernel parameters Ironic's agent
///   needs, and sets the next boot to PXE.
/// - ``prepareInstance(_:)`` writes the instance's config and sets the boot device for good:
///   the local disk for a written image (the config boots the disk too, for hardware that keeps
///   PXE-booting); the kernel and ramdisk of `instance_info` (or its `boot_iso`) for the `ramdisk`
///   deploy; `sanhook`/`sanboot` of the boot volume when the storage interface boots from an
///   iSCSI one; the local disk when it boots from one the management interface programmed out of
///   band (Fibre Channel), which the node's adapter presents as a disk.
/// - The clean-ups remove the node's files.
///
/// `ipxe` writes the node's script `<uuid>/boot.ipxe`, a chain to it per PXE-enabled port at
/// `pxelinux.cfg/<mac>` and the shared entry script `boot.ipxe`; `pxe` writes the pxelinux config
/// `<uuid>/config` and a copy per PXE-enabled port at `pxelinux.cfg/01-<mac>`. Every write is
/// atomic and every call may be repeated.
public struct NetworkBoot: BootInterface {
    /// The boot loader the node's firmware runs.
    public enum Loader: String, Sendable, Hashable, CaseIterable {
        /// iPXE: scripts over HTTP, and boot from iSCSI volumes.
        case ipxe
        /// pxelinux: configs over TFTP.
        case pxe
    }

    /// Which loader this implementation writes for.
    public let loader: Loader
    /// Where the files go and how nodes reach them.
    public let configuration: BootConfiguration

    /// `ipxe` or `pxe`, writing under `configuration`.
    public init(_ loader: Loader, configuration: BootConfiguration) {
        self.loader = loader
        self.configuration = configuration
    }

    /// `ipxe` or `pxe`.
    public var name: String { loader.rawValue }

    public var properties: [DriverProperty] {
        [
            DriverProperty("deploy_kernel", "The deploy ramdisk's kernel: an http(s) URL, or a path inside the boot directory.", required: true),
            DriverProperty("deploy_ramdisk", "The deploy ramdisk's initramfs: an http(s) URL, or a path inside the boot directory.", required: true),
            DriverProperty("rescue_kernel", "The rescue ramdisk's kernel, booted while rescuing."),
            DriverProperty("rescue_ramdisk", "The rescue ramdisk's initramfs, booted while rescuing."),
            DriverProperty("kernel_append_params", "Kernel parameters for the ramdisk, instead of the conductor's."),
            DriverProperty("force_persistent_boot_device", "\"Never\" keeps the instance's boot device for the next boot only; by default it is persistent."),
        ]
    }

    /// The deploy ramdisk's images, a PXE-enabled port to boot from, and — for a node booting
    /// from an iSCSI volume — iPXE and what it needs to attach the volumes.
    public func validate(_ task: DriverTask) throws(DriverError) {
        try requireProperties(task)
        _ = try bootMACFiles(task)
        if bootsFromISCSI(task) {
            guard loader == .ipxe else {
                throw DriverError("Node \(task.node.uuid.lowercased) boots from a volume; only the ipxe boot interface can boot from an iSCSI volume")
            }
            _ = try ISCSIBootVolumes(task)
        }
    }

    public func prepareRamdisk(_ task: DriverTask) async throws(DriverError) {
        let rescuing = task.node.provisionState == .rescuing
        let (kernelKey, ramdiskKey) = rescuing ? ("rescue_kernel", "rescue_ramdisk") : ("deploy_kernel", "deploy_ramdisk")
        guard let kernel = task.info(kernelKey), let ramdisk = task.info(ramdiskKey) else {
            throw .missingInfo([kernelKey, ramdiskKey].filter { task.info($0) == nil }, interface: kind.rawValue)
        }
        let target = BootTarget.agentRamdisk(
            kernel: try BootImageLocation.locate(kernel, key: "driver_info.\(kernelKey)", loader: loader, configuration),
            ramdisk: try BootImageLocation.locate(ramdisk, key: "driver_info.\(ramdiskKey)", loader: loader, configuration),
            parameters: agentParameters(task)
        )
        try install(target, task)
        try await task.driver.management?.setBootDevice(task, .pxe, persistent: false)
    }

    public func cleanUpRamdisk(_ task: DriverTask) async throws(DriverError) {
        let files = files(task)
        // Once the instance's config has replaced the ramdisk's, nothing of the ramdisk is left.
        guard files.purpose != .instance else { return }
        try files.removeAll(alsoIfOwned: allMACFiles(task))
    }

    public func prepareInstance(_ task: DriverTask) async throws(DriverError) {
        let target = try instanceTarget(task)
        try install(target, task)
        let persistent = task.info("force_persistent_boot_device")?.lowercased() != "never"
        try await task.driver.management?.setBootDevice(task, target == .localDisk ? .disk : .pxe, persistent: persistent)
    }

    public func cleanUpInstance(_ task: DriverTask) async throws(DriverError) {
        try files(task).removeAll(alsoIfOwned: allMACFiles(task))
    }

    // MARK: What to boot

    /// Whether the node boots from a remote volume: its storage interface writes no image.
    func bootsFromVolume(_ task: DriverTask) -> Bool {
        guard let storage = task.driver.storage, task.volumeTargets.contains(where: { $0.bootIndex == 0 }) else { return false }
        return !storage.shouldWriteImage(task)
    }

    /// Whether the node boots from a volume iPXE attaches (iSCSI), not one programmed into its
    /// adapter out of band.
    func bootsFromISCSI(_ task: DriverTask) -> Bool {
        bootsFromVolume(task) && task.volumeTargets.contains { $0.bootIndex == 0 && ISCSIBootVolumes.isISCSI($0) }
    }

    private func instanceTarget(_ task: DriverTask) throws(DriverError) -> BootTarget {
        if bootsFromISCSI(task) { return .volumes(try ISCSIBootVolumes(task)) }
        if bootsFromVolume(task) { return .localDisk }
        guard task.driver.deploy?.writesImage == false else { return .localDisk }
        let info = task.node.instanceInfo
        if let iso = info["boot_iso"]?.stringValue {
            return .instanceISO(url: try BootImageLocation.locate(iso, key: "instance_info.boot_iso", loader: loader, configuration))
        }
        guard let kernel = info["kernel"]?.stringValue, let ramdisk = info["ramdisk"]?.stringValue else {
            throw DriverError("Node \(task.node.uuid.lowercased) boots a ramdisk as its instance, but instance_info lacks "
                + ["kernel", "ramdisk"].filter { info[$0]?.stringValue == nil }.joined(separator: " and ") + " (or boot_iso)")
        }
        let arguments = [appendParameters(task), info["ramdisk_kernel_arguments"]?.stringValue ?? ""].filter { !$0.isEmpty }
        return .instanceRamdisk(
            kernel: try BootImageLocation.locate(kernel, key: "instance_info.kernel", loader: loader, configuration),
            ramdisk: try BootImageLocation.locate(ramdisk, key: "instance_info.ramdisk", loader: loader, configuration),
            parameters: arguments.joined(separator: " ")
        )
    }

    /// The node's kernel parameters, then what the agent needs: where Ironlog's API is.
    private func agentParameters(_ task: DriverTask) -> String {
        [appendParameters(task), "ipa-api-url=\(configuration.apiURL)"].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `instance_info` or `driver_info` `kernel_append_params`, else the conductor's.
    private func appendParameters(_ task: DriverTask) -> String {
        task.node.instanceInfo["kernel_append_params"]?.stringValue ?? task.info("kernel_append_params") ?? configuration.kernelAppendParams
    }

    // MARK: Files

    /// The node's current iPXE script — what the node's firmware chains to now: the agent's
    /// ramdisk, the instance, or its boot volume — or `nil` if it has none (it is not booting
    /// from the network, or this is `pxe`). The file the interface wrote, read back whole.
    public func currentIPXEScript(of node: UUID) -> String? {
        guard loader == .ipxe else { return nil }
        return BootFileStore(root: configuration.root).read(configuration.ipxeScript(node))
    }

    private func files(_ task: DriverTask) -> NodeBootFiles { NodeBootFiles(node: task.node.uuid, configuration: configuration) }

    /// Writes the node's files for `target`: its own config, one per PXE-enabled port, and for
    /// iPXE the shared entry script.
    private func install(_ target: BootTarget, _ task: DriverTask) throws(DriverError) {
        let node = task.node.uuid
        let macFiles = try bootMACFiles(task)
        var files: [String: String] = [:]
        switch loader {
        case .ipxe:
            files[configuration.ipxeScript(node)] = IPXEScript.render(target, node: node)
            for path in macFiles { files[path] = IPXEScript.chain(to: node, configuration) }
            try BootFileStore(root: configuration.root).write(IPXEScript.entry(configuration), to: configuration.ipxeEntryScript)
        case .pxe:
            let config = try PXELinuxConfig.render(target, node: node)
            files[configuration.pxeConfig(node)] = config
            for path in macFiles { files[path] = config }
        }
        try self.files(task).install(files, purpose: target.purpose)
    }

    /// The per-MAC files of the node's PXE-enabled ports; an error if it has none to boot from.
    private func bootMACFiles(_ task: DriverTask) throws(DriverError) -> [String] {
        let paths = task.ports.filter(\.pxeEnabled).compactMap { configuration.macFile($0.address, loader: loader) }
        guard !paths.isEmpty else {
            throw DriverError("Node \(task.node.uuid.lowercased) has no port with pxe_enabled to boot from the network; "
                + "create a port with the MAC address of the NIC it boots from")
        }
        return paths
    }

    /// The per-MAC files any of the node's ports could have, PXE-enabled or not (for clean-up).
    private func allMACFiles(_ task: DriverTask) -> [String] {
        task.ports.compactMap { configuration.macFile($0.address, loader: loader) }
    }
}
