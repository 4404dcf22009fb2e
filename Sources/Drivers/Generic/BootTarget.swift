/// What a node boots next from the network, with every image already located for the loader
/// (an HTTP URL for iPXE, a TFTP path or URL for pxelinux). The renderers (``IPXEScript``,
/// ``PXELinuxConfig``) turn it into the loader's text.
enum BootTarget: Sendable, Hashable {
    /// A ramdisk running Ironic's agent (deploy, cleaning or rescue): it calls back on the API.
    case agentRamdisk(kernel: String, ramdisk: String, parameters: String)
    /// The instance on the local disk: a fallback for hardware that PXE-boots anyway.
    case localDisk
    /// A kernel and ramdisk as the instance itself (the `ramdisk` deploy).
    case instanceRamdisk(kernel: String, ramdisk: String, parameters: String)
    /// An ISO image as the instance, booted over HTTP (the `ramdisk` deploy's `boot_iso`).
    case instanceISO(url: String)
    /// Remote volumes, the first the boot disk (boot from volume).
    case volumes(ISCSIBootVolumes)

    /// What it is for: the agent's ramdisk, or the instance.
    var purpose: BootPurpose {
        if case .agentRamdisk = self { return .ramdisk }
        return .instance
    }
}

/// Whether a node's boot files boot the agent's ramdisk or the instance; the clean-up of the
/// ramdisk leaves the instance's alone.
enum BootPurpose: String, Sendable, Hashable {
    case ramdisk, instance
}
