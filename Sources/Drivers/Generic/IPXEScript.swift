import Domain
import Foundation

/// The iPXE scripts of the `ipxe` boot interface, after Ironic's `ipxe_config.template` and
/// `boot.ipxe`: the entry script that finds a node by its MAC, the per-MAC chain, and each node's
/// script for what it boots next.
enum IPXEScript {
    /// The entry script (`<root>/boot.ipxe`, what DHCP hands iPXE): tries each NIC's
    /// `pxelinux.cfg/<mac, dashes>` in turn, and reboots if none has one.
    static func entry(_ configuration: BootConfiguration) -> String {
        """
        #!ipxe

        # Boot the configuration of the first network device that has one.
        set netid:int32 -1
        :loop
        inc netid
        isset ${net${netid}/mac} || goto loop_done
        echo Attempting to boot from MAC ${net${netid}/mac:hexhyp}
        chain \(configuration.url(configuration.macDirectory))/${net${netid}/mac:hexhyp} || goto loop

        :loop_done
        echo PXE boot failed! No configuration found for any of the present NICs.
        echo Press any key to reboot...
        prompt --timeout 180
        reboot

        """
    }

    /// A port's file under `pxelinux.cfg/`: chains the node's own script.
    static func chain(to node: UUID, _ configuration: BootConfiguration) -> String {
        """
        #!ipxe
        # node \(node.lowercased)
        chain \(configuration.url(configuration.ipxeScript(node)))

        """
    }

    /// The node's script for `target`.
    static func render(_ target: BootTarget, node: UUID) -> String {
        let header = "#!ipxe\n# node \(node.lowercased): \(description(of: target))\n\n"
        return header + body(target) + "\n"
    }

    private static func description(of target: BootTarget) -> String {
        switch target {
        case .agentRamdisk: "agent ramdisk"
        case .localDisk: "instance, local disk"
        case .instanceRamdisk: "instance, ramdisk"
        case .instanceISO: "instance, ISO image"
        case .volumes: "instance, boot from volume"
        }
    }

    private static func body(_ target: BootTarget) -> String {
        switch target {
        case .agentRamdisk(let kernel, let ramdisk, let parameters):
            """
            set attempts:int32 10
            set i:int32 0

            :deploy
            imgfree
            kernel --name deploy_kernel \(kernel) selinux=0 troubleshoot=0 text \(parameters) BOOTIF=${mac} initrd=deploy_ramdisk || goto retry
            initrd --name deploy_ramdisk \(ramdisk) || goto retry
            boot

            :retry
            iseq ${i} ${attempts} && goto fail ||
            inc i
            echo No response, retrying in ${i} seconds.
            sleep ${i}
            goto deploy

            :fail
            echo Failed to get a response after ${attempts} attempts
            echo Powering off in 30 seconds.
            sleep 30
            poweroff
            """
        case .localDisk:
            """
            :boot_whole_disk
            sanboot --no-describe --drive 0x80 || exit
            """
        case .instanceRamdisk(let kernel, let ramdisk, let parameters):
            """
            :boot_ramdisk
            imgfree
            kernel --name kernel \(kernel) root=/dev/ram0 text \(parameters) initrd=ramdisk || goto boot_ramdisk
            initrd --name ramdisk \(ramdisk) || goto boot_ramdisk
            boot
            """
        case .instanceISO(let url):
            """
            :boot_iso
            imgfree
            sanboot \(url) || goto boot_iso
            """
        case .volumes(let volumes):
            sanBoot(volumes)
        }
    }

    /// `sanhook` each volume (the boot volume on 0x80), then `sanboot` the first; retries every
    /// 10 s while the storage is unreachable.
    private static func sanBoot(_ volumes: ISCSIBootVolumes) -> String {
        var lines = [":boot_iscsi", "imgfree"]
        if let iqn = volumes.initiatorIQN { lines.append("set initiator-iqn \(iqn)") }
        for (index, volume) in volumes.volumes.enumerated() {
            lines.append(volume.username.map { "set username \($0)" } ?? "clear username")
            lines.append(volume.password.map { "set password \($0)" } ?? "clear password")
            lines.append("sanhook --drive 0x\(String(0x80 + index, radix: 16)) \(volume.url) || goto fail_iscsi_retry")
        }
        lines += [
            "sanboot --no-describe --drive 0x80 || goto fail_iscsi_retry",
            "",
            ":fail_iscsi_retry",
            "echo Failed to attach iSCSI volume(s), retrying in 10 seconds.",
            "sleep 10",
            "goto boot_iscsi",
        ]
        return lines.joined(separator: "\n")
    }
}
