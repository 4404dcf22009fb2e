import Domain
import Drivers
import Foundation
import Testing

@Suite("The ipxe and pxe boot interfaces write what a node boots")
struct NetworkBootTests {
    static let mac = "52:54:00:12:34:56"

    @Test("ipxe: the ramdisk script, a chain per PXE-enabled MAC, the entry script; next boot from PXE")
    func ipxeRamdisk() async throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root, macs: [Self.mac, "52:54:00:AB:CD:EF"])
        builder.ports[1].pxeEnabled = false
        let task = try builder.task()
        try await task.driver.boot!.prepareRamdisk(task)

        let script = try #require(root.read(builder.ipxeScript))
        #expect(script.hasPrefix("#!ipxe\n"))
        #expect(script.contains("kernel --name deploy_kernel http://192.0.2.1:8080/boot/images/ipa.kernel selinux=0 troubleshoot=0 text "
            + "nofb vga=normal ipa-api-url=http://192.0.2.1:6385 BOOTIF=${mac} initrd=deploy_ramdisk || goto retry"))
        #expect(script.contains("initrd --name deploy_ramdisk http://images.example/ipa.initramfs || goto retry"))
        #expect(script.contains("\nboot\n"))

        let chain = try #require(root.read("pxelinux.cfg/52-54-00-12-34-56"))
        #expect(chain == "#!ipxe\n# node \(builder.node.uuid.lowercased)\nchain http://192.0.2.1:8080/boot/\(builder.ipxeScript)\n")
        #expect(!root.exists("pxelinux.cfg/52-54-00-ab-cd-ef"), "a port without pxe_enabled gets no file")
        #expect(root.read("boot.ipxe")?.contains("chain http://192.0.2.1:8080/boot/pxelinux.cfg/${net${netid}/mac:hexhyp}") == true)
        #expect(!root.exists("pxelinux.cfg/01-52-54-00-12-34-56"), "no pxelinux file for ipxe")

        let device = try #require(builder.fake.hardwareBootDevice(of: builder.node.uuid))
        #expect(device.device == .pxe)
        #expect(device.persistent == false)
    }

    @Test("pxe: a pxelinux config per PXE-enabled MAC, 01-<mac>, with the agent's kernel parameters")
    func pxeRamdisk() async throws {
        let root = BootRoot()
        let builder = TaskBuilder(root: root, boot: "pxe", macs: [Self.mac, "52:54:00:ab:cd:ef"])
        let task = try builder.task()
        try await task.driver.boot!.prepareRamdisk(task)

        let expected = """
            # node \(builder.node.uuid.lowercased)
            default deploy

            label deploy
            kernel images/ipa.kernel
            append initrd=http://images.example/ipa.initramfs selinux=0 troubleshoot=0 text nofb vga=normal ipa-api-url=http://192.0.2.1:6385
            ipappend 2

            """
        #expect(root.read("pxelinux.cfg/01-52-54-00-12-34-56") == expected)
        #expect(root.read("pxelinux.cfg/01-52-54-00-ab-cd-ef") == expected)
        #expect(root.read(builder.pxeConfig) == expected)
        #expect(!root.exists("boot.ipxe"), "no iPXE files for pxe")
        #expect(builder.fake.hardwareBootDevice(of: builder.node.uuid)?.device == .pxe)
    }

    @Test("A node's kernel_append_params replace the conductor's")
    func nodeKernelParameters() async throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root, boot: "pxe")
        builder.node.driverInfo = ["deploy_kernel": "k", "deploy_ramdisk": "r", "kernel_append_params": "console=ttyS0,115200"]
        let task = try builder.task()
        try await task.driver.boot!.prepareRamdisk(task)
        #expect(root.read(builder.pxeConfig)?.contains("append initrd=r selinux=0 troubleshoot=0 text console=ttyS0,115200 ipa-api-url=") == true)
    }

    @Test("A whole-disk instance: a local-boot config, and the disk as boot device for good")
    func localBoot() async throws {
        let root = BootRoot()
        let ipxe = TaskBuilder(root: root)
        let ipxeTask = try ipxe.task()
        try await ipxeTask.driver.boot!.prepareRamdisk(ipxeTask)
        try await ipxeTask.driver.boot!.prepareInstance(ipxeTask)
        let script = try #require(root.read(ipxe.ipxeScript))
        #expect(script.contains("sanboot --no-describe --drive 0x80 || exit"))
        #expect(!script.contains("deploy_kernel"))
        #expect(root.read("pxelinux.cfg/52-54-00-12-34-56")?.contains("chain ") == true)
        #expect(ipxe.fake.hardwareBootDevice(of: ipxe.node.uuid)?.device == .disk)
        #expect(ipxe.fake.hardwareBootDevice(of: ipxe.node.uuid)?.persistent == true)

        let pxe = TaskBuilder(root: root, boot: "pxe", macs: ["52:54:00:00:00:01"])
        let pxeTask = try pxe.task()
        try await pxeTask.driver.boot!.prepareInstance(pxeTask)
        #expect(root.read("pxelinux.cfg/01-52-54-00-00-00-01")?.contains("label boot_whole_disk\nlocalboot 0\n") == true)
    }

    @Test("force_persistent_boot_device Never sets the instance's boot device for the next boot only")
    func neverPersistent() async throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root)
        builder.node.driverInfo = ["deploy_kernel": "k", "deploy_ramdisk": "r", "force_persistent_boot_device": "Never"]
        let task = try builder.task()
        try await task.driver.boot!.prepareInstance(task)
        #expect(builder.fake.hardwareBootDevice(of: builder.node.uuid)?.persistent == false)
    }

    @Test("Clean-up removes the node's files, its MAC files and directory, and nothing of other nodes")
    func cleanUp() async throws {
        let root = BootRoot()
        let one = TaskBuilder(root: root, macs: [Self.mac])
        let other = TaskBuilder(root: root, macs: ["52:54:00:00:00:02"])
        let (oneTask, otherTask) = (try one.task(), try other.task())
        try await oneTask.driver.boot!.prepareRamdisk(oneTask)
        try await otherTask.driver.boot!.prepareRamdisk(otherTask)

        try await oneTask.driver.boot!.cleanUpRamdisk(oneTask)
        #expect(!root.exists(one.nodeDirectory))
        #expect(!root.exists("pxelinux.cfg/52-54-00-12-34-56"))
        #expect(root.exists(other.ipxeScript))
        #expect(root.exists("pxelinux.cfg/52-54-00-00-00-02"))
        #expect(root.exists("boot.ipxe"), "the shared entry script stays")

        try await otherTask.driver.boot!.prepareInstance(otherTask)
        try await otherTask.driver.boot!.cleanUpInstance(otherTask)
        #expect(root.allFiles() == ["boot.ipxe"])
        // Cleaning up again is harmless.
        try await otherTask.driver.boot!.cleanUpInstance(otherTask)
        try await otherTask.driver.boot!.cleanUpRamdisk(otherTask)
    }

    @Test("The ramdisk's clean-up leaves an instance config that replaced it")
    func ramdiskCleanUpAfterInstance() async throws {
        let root = BootRoot()
        let builder = TaskBuilder(root: root)
        let task = try builder.task()
        try await task.driver.boot!.prepareRamdisk(task)
        try await task.driver.boot!.prepareInstance(task)
        try await task.driver.boot!.cleanUpRamdisk(task)
        #expect(root.read(builder.ipxeScript)?.contains("sanboot --no-describe --drive 0x80") == true)
        #expect(root.exists("pxelinux.cfg/52-54-00-12-34-56"))
    }

    @Test("A port removed since the ramdisk was prepared loses its MAC file too")
    func portRemovedBetweenPrepareAndCleanUp() async throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root, boot: "pxe", macs: [Self.mac, "52:54:00:00:00:03"])
        let before = try builder.task()
        try await before.driver.boot!.prepareRamdisk(before)
        #expect(root.exists("pxelinux.cfg/01-52-54-00-00-00-03"))

        builder.ports.removeLast()
        let after = try builder.task()
        try await after.driver.boot!.prepareInstance(after)
        #expect(!root.exists("pxelinux.cfg/01-52-54-00-00-00-03"), "re-preparing drops the file of a port gone")
        builder.ports.removeAll()
        let none = try builder.task()
        try await none.driver.boot!.cleanUpInstance(none)
        #expect(root.allFiles().isEmpty)
    }

    @Test("Writes replace files by rename: a reader holding the old file reads it whole; no temporary file stays")
    func atomicWrites() async throws {
        let root = BootRoot()
        let builder = TaskBuilder(root: root)
        let task = try builder.task()
        try await task.driver.boot!.prepareRamdisk(task)
        let path = root.configuration.path(builder.ipxeScript)
        let ramdiskScript = try #require(root.read(builder.ipxeScript))
        let reader = try #require(FileHandle(forReadingAtPath: path))
        defer { try? reader.close() }
        let inodeBefore = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64

        try await task.driver.boot!.prepareInstance(task)
        let inodeAfter = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64
        #expect(inodeBefore != inodeAfter, "a new file took the old one's name")
        #expect(String(decoding: reader.readDataToEndOfFile(), as: UTF8.self) == ramdiskScript)
        #expect(root.read(builder.ipxeScript)?.contains("sanboot") == true)
        #expect(!root.allFiles().contains { $0.hasSuffix(".tmp") })
    }

    @Test("Preparing twice changes nothing")
    func idempotent() async throws {
        let root = BootRoot()
        let builder = TaskBuilder(root: root, macs: [Self.mac, "52:54:00:00:00:04"])
        let task = try builder.task()
        try await task.driver.boot!.prepareRamdisk(task)
        let first = root.allFiles().map { ($0, root.read($0)) }
        try await task.driver.boot!.prepareRamdisk(task)
        let second = root.allFiles().map { ($0, root.read($0)) }
        #expect(first.map(\.0) == second.map(\.0))
        #expect(first.map(\.1) == second.map(\.1))
        #expect(Set(first.map(\.0)) == ["boot.ipxe", builder.ipxeScript, "\(builder.nodeDirectory)/files",
                                          "pxelinux.cfg/52-54-00-12-34-56", "pxelinux.cfg/52-54-00-00-00-04"])
    }

    @Test("Validation names the missing deploy_kernel and deploy_ramdisk, and a node with no port to boot from")
    func validation() throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root, driverInfo: [:])
        let task = try builder.task()
        #expect(throws: DriverError("Some parameters were missing in node's driver_info. Missing are: deploy_kernel, deploy_ramdisk (boot interface)")) {
            try task.driver.boot!.validate(task)
        }
        let verdicts = builder.registry.validate(task)
        #expect(verdicts[.boot]?.result == false)
        #expect(verdicts[.boot]?.reason?.contains("deploy_kernel, deploy_ramdisk") == true)

        builder.node.driverInfo = ["deploy_kernel": "k", "deploy_ramdisk": "r"]
        builder.ports = []
        let portless = try builder.task()
        #expect(throws: DriverError("Node \(builder.node.uuid.lowercased) has no port with pxe_enabled to boot from the network; "
            + "create a port with the MAC address of the NIC it boots from")) {
            try portless.driver.boot!.validate(portless)
        }
        let properties = builder.registry.properties(of: portless.driver)
        #expect(properties["deploy_kernel"]?.hasSuffix("Required.") == true)
        #expect(properties["deploy_ramdisk"]?.hasSuffix("Required.") == true)
    }

    @Test("prepareRamdisk without the deploy images fails with what is missing")
    func prepareWithoutImages() async throws {
        let root = BootRoot()
        let builder = TaskBuilder(root: root, driverInfo: ["deploy_kernel": "k"])
        let task = try builder.task()
        await #expect(throws: DriverError.missingInfo(["deploy_ramdisk"], interface: "boot")) {
            try await task.driver.boot!.prepareRamdisk(task)
        }
        #expect(root.allFiles().isEmpty)
    }

    @Test("An image outside the boot directory is refused; one inside it is served by path")
    func imageLocations() async throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root, driverInfo: ["deploy_kernel": "file:///srv/elsewhere/ipa.kernel", "deploy_ramdisk": "r"])
        let outside = try builder.task()
        await #expect(throws: DriverError.self) { try await outside.driver.boot!.prepareRamdisk(outside) }

        builder.node.driverInfo = ["deploy_kernel": .string("file://\(root.path)/images/ipa.kernel"), "deploy_ramdisk": .string("\(root.path)/images/ipa.initramfs")]
        let inside = try builder.task()
        try await inside.driver.boot!.prepareRamdisk(inside)
        let script = try #require(root.read(builder.ipxeScript))
        #expect(script.contains("kernel --name deploy_kernel http://192.0.2.1:8080/boot/images/ipa.kernel "))
        #expect(script.contains("initrd --name deploy_ramdisk http://192.0.2.1:8080/boot/images/ipa.initramfs "))
    }

    @Test("Rescue boots the rescue ramdisk")
    func rescueRamdisk() async throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root, driverInfo: ["deploy_kernel": "dk", "deploy_ramdisk": "dr", "rescue_kernel": "rk", "rescue_ramdisk": "rr"])
        builder.node.provisionState = .rescuing
        let task = try builder.task()
        try await task.driver.boot!.prepareRamdisk(task)
        let script = try #require(root.read(builder.ipxeScript))
        #expect(script.contains("kernel --name deploy_kernel http://192.0.2.1:8080/boot/rk "))
        #expect(script.contains("initrd --name deploy_ramdisk http://192.0.2.1:8080/boot/rr "))
    }

    // MARK: The ramdisk deploy

    @Test("With the ramdisk deploy the instance is instance_info's kernel and ramdisk, with its kernel arguments")
    func ramdiskInstance() async throws {
        let root = BootRoot()
        for loader in NetworkBoot.Loader.allCases {
            let builder = TaskBuilder(root: root, boot: loader.rawValue, deploy: "ramdisk", instanceInfo: [
                "kernel": "http://images.example/vmlinuz", "ramdisk": "instances/initrd.img", "ramdisk_kernel_arguments": "console=ttyS0 rd.debug",
            ], macs: [loader == .ipxe ? "52:54:00:00:00:10" : "52:54:00:00:00:11"])
            let task = try builder.task()
            try await task.driver.boot!.prepareInstance(task)
            switch loader {
            case .ipxe:
                let script = try #require(root.read(builder.ipxeScript))
                #expect(script.contains("kernel --name kernel http://images.example/vmlinuz root=/dev/ram0 text nofb vga=normal console=ttyS0 rd.debug initrd=ramdisk"))
                #expect(script.contains("initrd --name ramdisk http://192.0.2.1:8080/boot/instances/initrd.img"))
                #expect(!script.contains("ipa-api-url"), "the instance is not the agent")
            case .pxe:
                let config = try #require(root.read("pxelinux.cfg/01-52-54-00-00-00-11"))
                #expect(config.contains("kernel http://images.example/vmlinuz\nappend initrd=instances/initrd.img root=/dev/ram0 text nofb vga=normal console=ttyS0 rd.debug\n"))
            }
            let device = try #require(builder.fake.hardwareBootDevice(of: builder.node.uuid))
            #expect(device.device == .pxe && device.persistent, "a ramdisk instance boots from the network every time")
        }
    }

    @Test("With the ramdisk deploy, boot_iso is booted by iPXE; pxelinux refuses it")
    func ramdiskISO() async throws {
        let root = BootRoot()
        let ipxe = TaskBuilder(root: root, deploy: "ramdisk", instanceInfo: ["boot_iso": "http://images.example/live.iso"])
        let ipxeTask = try ipxe.task()
        try await ipxeTask.driver.boot!.prepareInstance(ipxeTask)
        #expect(root.read(ipxe.ipxeScript)?.contains("sanboot http://images.example/live.iso || goto boot_iso") == true)

        let pxe = TaskBuilder(root: root, boot: "pxe", deploy: "ramdisk", instanceInfo: ["boot_iso": "http://images.example/live.iso"],
                              macs: ["52:54:00:00:00:12"])
        let pxeTask = try pxe.task()
        await #expect(throws: DriverError.self) { try await pxeTask.driver.boot!.prepareInstance(pxeTask) }
    }

    @Test("The ramdisk deploy reports missing instance kernel and ramdisk")
    func ramdiskValidation() throws {
        let root = BootRoot()
        let builder = TaskBuilder(root: root, deploy: "ramdisk", instanceInfo: ["kernel": "k"])
        let task = try builder.task()
        let verdict = builder.registry.validate(task)[.deploy]
        #expect(verdict?.result == false)
        #expect(verdict?.reason == "Node \(builder.node.uuid.lowercased) failed to validate deploy image info. Some parameters were missing. "
            + "Missing are: instance_info.ramdisk (or instance_info.boot_iso)")
    }

    // MARK: Boot from volume

    /// A node booting from an iSCSI volume with `external` storage: a boot target with CHAP, a
    /// second data volume, and an initiator IQN.
    static func bootFromVolume(_ root: BootRoot, boot: String = "ipxe") -> TaskBuilder {
        var builder = TaskBuilder(root: root, boot: boot, storage: "external", instanceInfo: [:], macs: ["52:54:00:00:00:20"])
        var target = VolumeTarget(uuid: UUID(), nodeUUID: builder.node.uuid, volumeType: "iscsi", bootIndex: 0, volumeID: "vol-boot")
        target.properties = ["target_iqn": "iqn.2010-10.org.openstack:volume-boot", "target_portal": "192.0.2.10:3260", "target_lun": 1,
                             "auth_username": "chap-user", "auth_password": "chap-secret"]
        var data = VolumeTarget(uuid: UUID(), nodeUUID: builder.node.uuid, volumeType: "iscsi", bootIndex: 1, volumeID: "vol-data")
        data.properties = ["target_iqns": ["iqn.2010-10.org.openstack:volume-data"], "target_portals": ["[2001:db8::10]:3261"], "target_luns": [10]]
        builder.volumeTargets = [target, data]
        builder.volumeConnectors = [VolumeConnector(uuid: UUID(), nodeUUID: builder.node.uuid, type: "iqn", connectorID: "iqn.2024-01.org.example:node-1")]
        return builder
    }

    @Test("Boot from volume: iPXE sanhooks each iSCSI target and sanboots the first")
    func bootFromVolumeScript() async throws {
        let root = BootRoot()
        let builder = Self.bootFromVolume(root)
        let task = try builder.task()
        #expect(task.driver.storage?.shouldWriteImage(task) == false)
        try task.driver.boot!.validate(task)
        try task.driver.storage!.validate(task)
        try await task.driver.boot!.prepareInstance(task)

        let script = try #require(root.read(builder.ipxeScript))
        #expect(script.contains("""
            :boot_iscsi
            imgfree
            set initiator-iqn iqn.2024-01.org.example:node-1
            set username chap-user
            set password chap-secret
            sanhook --drive 0x80 iscsi:192.0.2.10::3260:1:iqn.2010-10.org.openstack:volume-boot || goto fail_iscsi_retry
            clear username
            clear password
            sanhook --drive 0x81 iscsi:[2001:db8::10]::3261:a:iqn.2010-10.org.openstack:volume-data || goto fail_iscsi_retry
            sanboot --no-describe --drive 0x80 || goto fail_iscsi_retry
            """))
        #expect(script.contains("sleep 10\ngoto boot_iscsi"))
        let device = try #require(builder.fake.hardwareBootDevice(of: builder.node.uuid))
        #expect(device.device == .pxe && device.persistent)
    }

    @Test("Boot from volume needs iPXE and the target's connection properties")
    func bootFromVolumeValidation() async throws {
        let root = BootRoot()
        let pxe = Self.bootFromVolume(root, boot: "pxe")
        let pxeTask = try pxe.task()
        #expect(throws: DriverError.self) { try pxeTask.driver.boot!.validate(pxeTask) }
        #expect(pxe.registry.validate(pxeTask)[.storage]?.reason?.contains("only with the ipxe boot interface") == true)
        await #expect(throws: DriverError.self) { try await pxeTask.driver.boot!.prepareInstance(pxeTask) }

        var incomplete = Self.bootFromVolume(root)
        incomplete.volumeTargets[0].properties = ["target_iqn": "iqn.2010-10.org.openstack:volume-boot"]
        let task = try incomplete.task()
        #expect(throws: DriverError("The volume target \(incomplete.volumeTargets[0].uuid.lowercased) lacks properties iPXE needs to boot from it: "
            + "target_portal, target_lun")) {
            try task.driver.boot!.validate(task)
        }

        var withImage = Self.bootFromVolume(root)
        withImage.node.instanceInfo = ["image_source": "glance-image-uuid"]
        let imageTask = try withImage.task()
        #expect(imageTask.driver.storage?.shouldWriteImage(imageTask) == true, "an image to write wins over the boot volume")
    }
}
