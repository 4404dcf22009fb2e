import Domain
import Foundation

/// The pxelinux configs of the `pxe` boot interface, after Ironic's `pxe_config.template`.
/// pxelinux reads `pxelinux.cfg/01-<mac, dashes>` over TFTP: images are TFTP paths relative to
/// the root, or URLs where the loader speaks HTTP (lpxelinux).
enum PXELinuxConfig {
    /// The config for `target`; pxelinux can neither boot an ISO over HTTP nor attach iSCSI
    /// volumes, so those need `ipxe`.
    static func render(_ target: BootTarget, node: UUID) throws(DriverError) -> String {
        let header = "# node \(node.lowercased)\n"
        switch target {
        case .agentRamdisk(let kernel, let ramdisk, let parameters):
            return header + """
                default deploy

                label deploy
                kernel \(kernel)
                append initrd=\(ramdisk) selinux=0 troubleshoot=0 text \(parameters)
                ipappend 2

                """
        case .localDisk:
            return header + """
                default boot_whole_disk

                label boot_whole_disk
                localboot 0

                """
        case .instanceRamdisk(let kernel, let ramdisk, let parameters):
            return header + """
                default boot_ramdisk

                label boot_ramdisk
                kernel \(kernel)
                append initrd=\(ramdisk) root=/dev/ram0 text \(parameters)

                """
        case .instanceISO:
            throw DriverError("Node \(node.lowercased) asks to boot instance_info.boot_iso; pxelinux cannot boot an ISO image over HTTP. "
                + "Use the ipxe boot interface")
        case .volumes:
            throw DriverError("Node \(node.lowercased) boots from a volume; only the ipxe boot interface can boot from an iSCSI volume")
        }
    }
}
