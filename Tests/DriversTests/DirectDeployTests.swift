import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Testing

@Suite("The direct deploy: Ironic's deploy steps through the node's boot, network and power")
struct DirectDeployTests {
    @Test("Deploy and clean steps with Ironic's priorities; boot_instance is not repeated after an interruption")
    func steps() throws {
        let builder = TaskBuilder(root: BootRoot())
        let task = try builder.task()
        let deploy = try #require(task.driver.deploy)
        #expect(deploy.name == "direct")
        #expect(deploy.writesImage)
        let steps = deploy.steps(for: .deploy, task)
        #expect(steps.map(\.name) == ["deploy", "write_image", "prepare_instance_boot", "tear_down_agent", "switch_to_tenant_network", "boot_instance"])
        #expect(steps.map(\.priority) == [100, 80, 60, 40, 30, 20])
        #expect(steps.filter { !$0.repeatable }.map(\.name) == ["boot_instance"])
        let clean = deploy.steps(for: .clean, task)
        #expect(clean.map(\.name) == ["erase_devices_metadata", "erase_devices"])
        #expect(clean.map(\.priority) == [99, 0])
    }

    @Test("Each step does its part: the ramdisk boots and the agent is awaited, then the instance is prepared and booted")
    func executeSteps() async throws {
        let root = BootRoot()
        let builder = TaskBuilder(root: root)
        let task = try builder.task()
        let deploy = try #require(task.driver.deploy)
        let node = builder.node.uuid
        func run(_ name: String) async throws -> StepOutcome {
            let step = try #require(deploy.steps(for: .deploy, task).first { $0.name == name })
            return try await deploy.execute(step, phase: .deploy, task)
        }

        #expect(try await run("deploy") == .wait)
        #expect(root.read(builder.ipxeScript)?.contains("deploy_kernel") == true)
        #expect(builder.fake.hardwarePower(of: node) == .on)
        #expect(builder.fake.hardwareBootDevice(of: node)?.device == .pxe)

        #expect(try await run("write_image") == .wait)

        #expect(try await run("prepare_instance_boot") == .done)
        #expect(root.read(builder.ipxeScript)?.contains("sanboot --no-describe --drive 0x80 || exit") == true)
        #expect(builder.fake.hardwareBootDevice(of: node)?.device == .disk)

        #expect(try await run("tear_down_agent") == .done)
        #expect(builder.fake.hardwarePower(of: node) == .off)
        #expect(try await run("switch_to_tenant_network") == .done)
        #expect(try await run("boot_instance") == .done)
        #expect(builder.fake.hardwarePower(of: node) == .on)

        try await deploy.tearDown(task)
        #expect(builder.fake.hardwarePower(of: node) == .off)
        #expect(!root.exists(builder.nodeDirectory))
    }

    @Test("Cleaning boots the ramdisk; its steps wait for the agent; tear-down removes the ramdisk and powers off")
    func cleaning() async throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root)
        builder.node.provisionState = .cleaning
        let task = try builder.task()
        let deploy = try #require(task.driver.deploy)
        try await deploy.prepareCleaning(task)
        #expect(root.read(builder.ipxeScript)?.contains("deploy_kernel") == true)
        #expect(builder.fake.hardwarePower(of: builder.node.uuid) == .on)
        for step in deploy.steps(for: .clean, task) {
            #expect(try await deploy.execute(step, phase: .clean, task) == .wait)
        }
        try await deploy.tearDownCleaning(task)
        #expect(!root.exists(builder.nodeDirectory))
        #expect(builder.fake.hardwarePower(of: builder.node.uuid) == .off)
    }

    @Test("Validation reports a missing image_source, as GET /validate does, and a missing checksum for an http image")
    func validation() throws {
        let root = BootRoot()
        var builder = TaskBuilder(root: root, instanceInfo: [:])
        var task = try builder.task()
        var verdict = builder.registry.validate(task)[.deploy]
        #expect(verdict?.result == false)
        #expect(verdict?.reason == "Node \(builder.node.uuid.lowercased) failed to validate deploy image info. Some parameters were missing. "
            + "Missing are: instance_info.image_source")

        builder.node.instanceInfo = ["image_source": "http://images.example/ubuntu.qcow2"]
        task = try builder.task()
        verdict = builder.registry.validate(task)[.deploy]
        #expect(verdict?.result == false)
        #expect(verdict?.reason?.contains("image_checksum") == true)

        builder.node.instanceInfo = ["image_source": "http://images.example/ubuntu.qcow2", "image_checksum": "abc"]
        task = try builder.task()
        #expect(builder.registry.validate(task)[.deploy] == InterfaceValidation(result: true, reason: nil))
        #expect(builder.registry.validate(task)[.boot] == InterfaceValidation(result: true, reason: nil))

        builder.node.driverInfo = [:]
        task = try builder.task()
        #expect(builder.registry.validate(task)[.deploy]?.reason?.contains("deploy_kernel, deploy_ramdisk") == true,
                "the deploy interface needs the boot interface's ramdisk")
    }

    @Test("A node booting from a volume needs no agent: deploy and write_image finish at once")
    func bootFromVolume() async throws {
        let root = BootRoot()
        let builder = NetworkBootTests.bootFromVolume(root)
        let task = try builder.task()
        let deploy = try #require(task.driver.deploy)
        #expect(builder.registry.validate(task)[.deploy] == InterfaceValidation(result: true, reason: nil))
        for name in ["deploy", "write_image"] {
            let step = try #require(deploy.steps(for: .deploy, task).first { $0.name == name })
            #expect(try await deploy.execute(step, phase: .deploy, task) == .done)
        }
        #expect(!root.exists(builder.ipxeScript), "no ramdisk was booted")
    }

    // MARK: Through the engine

    @Test("fake-hardware with ipxe and direct: provide, deploy and undeploy, waiting for the agent where Ironic does")
    func lifecycleThroughTheEngine() async throws {
        let fixture = try await BootConductorFixture.start()
        defer { fixture.finish() }
        let node = UUID()
        try await fixture.command(.enroll(uuid: node, fields: [
            "driver": "fake-hardware", "name": "pxe-1", "boot_interface": "ipxe", "deploy_interface": "direct",
            "driver_info": ["deploy_kernel": "images/ipa.kernel", "deploy_ramdisk": "images/ipa.initramfs"],
            "instance_info": ["image_source": "http://images.example/ubuntu.qcow2", "image_checksum": "abc123"],
        ]), node)
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:aa:00:01"]), node)
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:aa:00:02", "pxe_enabled": false]), node)
        let script = fixture.boot.ipxeScript(node)
        let macFile = "pxelinux.cfg/52-54-00-aa-00-01"
        #expect(try fixture.conductor.validate(node)[.boot] == InterfaceValidation(result: true, reason: nil))
        #expect(try fixture.conductor.validate(node)[.deploy] == InterfaceValidation(result: true, reason: nil))

        try await fixture.provision(.manage, node)
        #expect(try fixture.node(node).provisionState == .manageable)

        // provide: cleaning boots the ramdisk and waits for the agent at erase_devices_metadata.
        try await fixture.provision(.provide, node)
        var current = try fixture.node(node)
        #expect(current.provisionState == .cleanWait)
        #expect(current.cleanStep["step"] == "erase_devices_metadata")
        #expect(fixture.bootFile(script)?.contains("kernel --name deploy_kernel http://192.0.2.1:8080/boot/images/ipa.kernel") == true)
        #expect(fixture.bootFile(macFile)?.contains("chain http://192.0.2.1:8080/boot/\(script)") == true)
        #expect(fixture.bootFile("pxelinux.cfg/52-54-00-aa-00-02") == nil)
        #expect(fixture.fake.hardwareBootDevice(of: node)?.device == .pxe)
        #expect(fixture.fake.hardwareBootDevice(of: node)?.persistent == false)
        #expect(fixture.fake.hardwarePower(of: node) == .on)

        try await fixture.agentCallBack(node)
        current = try fixture.node(node)
        #expect(current.provisionState == .available)
        #expect(try fixture.finishedSteps(.clean, node) == ["erase_devices_metadata"])
        #expect(fixture.bootFile(script) == nil, "cleaning's tear-down removed the ramdisk config")
        #expect(fixture.bootFile(macFile) == nil)
        #expect(fixture.fake.hardwarePower(of: node) == .off)

        // deploy: waits at deploy (the ramdisk boots), then at write_image (the agent writes).
        try await fixture.provision(.active, node)
        current = try fixture.node(node)
        #expect(current.provisionState == .waitCallBack)
        #expect(current.deployStep["step"] == "deploy")
        #expect(fixture.bootFile(script)?.contains("deploy_kernel") == true)
        #expect(fixture.bootFile(script)?.contains("ipa-api-url=http://192.0.2.1:6385") == true)
        #expect(fixture.fake.hardwareBootDevice(of: node)?.device == .pxe)
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == .provisioning)

        try await fixture.agentCallBack(node)
        current = try fixture.node(node)
        #expect(current.provisionState == .waitCallBack)
        #expect(current.deployStep["step"] == "write_image")
        #expect(fixture.bootFile(script)?.contains("deploy_kernel") == true, "the ramdisk config stays while the agent writes")

        try await fixture.agentCallBack(node)
        current = try fixture.node(node)
        #expect(current.provisionState == .active)
        #expect(current.lastError == nil)
        #expect(current.powerState == .on)
        #expect(try fixture.finishedSteps(.deploy, node) == [
            "deploy", "write_image", "prepare_instance_boot", "tear_down_agent", "switch_to_tenant_network", "boot_instance",
        ])
        let instanceScript = try #require(fixture.bootFile(script))
        #expect(instanceScript.contains("sanboot --no-describe --drive 0x80 || exit"))
        #expect(!instanceScript.contains("deploy_kernel"))
        #expect(fixture.bootFile(macFile) != nil, "the MAC chain stays, as a fallback for PXE-booting hardware")
        #expect(fixture.fake.hardwareBootDevice(of: node)?.device == .disk)
        #expect(fixture.fake.hardwareBootDevice(of: node)?.persistent == true)
        #expect(fixture.fake.hardwarePower(of: node) == .on)
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == .tenant)

        // undeploy: tear-down removes the instance config, cleaning boots the ramdisk again.
        try await fixture.provision(.deleted, node)
        current = try fixture.node(node)
        #expect(current.provisionState == .cleanWait)
        #expect(fixture.bootFile(script)?.contains("deploy_kernel") == true)
        try await fixture.agentCallBack(node)
        current = try fixture.node(node)
        #expect(current.provisionState == .available)
        #expect(current.powerState == .off)
        #expect(fixture.bootFile(script) == nil)
        #expect(fixture.bootFile(macFile) == nil)
        #expect(!FileManager.default.fileExists(atPath: fixture.boot.path(fixture.boot.nodeDirectory(node))))
        #expect(fixture.fake.hardwarePower(of: node) == .off)
    }

    @Test("fake-hardware with ipxe and the ramdisk deploy: straight to active, booting instance_info's kernel and ramdisk")
    func ramdiskDeployThroughTheEngine() async throws {
        let fixture = try await BootConductorFixture.start()
        defer { fixture.finish() }
        let node = UUID()
        try await fixture.command(.enroll(uuid: node, fields: [
            "driver": "fake-hardware", "boot_interface": "ipxe", "deploy_interface": "ramdisk",
            "driver_info": ["deploy_kernel": "images/ipa.kernel", "deploy_ramdisk": "images/ipa.initramfs"],
            "instance_info": ["kernel": "http://images.example/vmlinuz", "ramdisk": "http://images.example/initrd.img",
                              "ramdisk_kernel_arguments": "console=ttyS0"],
        ]), node)
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:bb:00:01"]), node)
        #expect(try fixture.conductor.validate(node)[.deploy] == InterfaceValidation(result: true, reason: nil))
        try await fixture.provision(.manage, node)
        try await fixture.provision(.provide, node)
        #expect(try fixture.node(node).provisionState == .available)

        try await fixture.provision(.active, node)
        let current = try fixture.node(node)
        #expect(current.provisionState == .active)
        #expect(current.lastError == nil)
        #expect(try fixture.finishedSteps(.deploy, node) == ["prepare_instance_boot", "switch_to_tenant_network", "boot_instance"])
        let script = try #require(fixture.bootFile(fixture.boot.ipxeScript(node)))
        #expect(script.contains("kernel --name kernel http://images.example/vmlinuz root=/dev/ram0 text nofb vga=normal console=ttyS0 initrd=ramdisk"))
        #expect(script.contains("initrd --name ramdisk http://images.example/initrd.img"))
        #expect(fixture.bootFile("pxelinux.cfg/52-54-00-bb-00-01") != nil)
        #expect(fixture.fake.hardwareBootDevice(of: node)?.device == .pxe)
        #expect(fixture.fake.hardwareBootDevice(of: node)?.persistent == true)
        #expect(fixture.fake.hardwarePower(of: node) == .on)

        try await fixture.provision(.deleted, node)
        #expect(try fixture.node(node).provisionState == .available)
        #expect(fixture.bootFile(fixture.boot.ipxeScript(node)) == nil)
        #expect(fixture.bootFile("pxelinux.cfg/52-54-00-bb-00-01") == nil)
    }

    @Test("Boot from volume through the engine: the iPXE script carries the target's CHAP password in clear, unsealed from the log")
    func bootFromVolumeThroughTheEngine() async throws {
        let fixture = try await BootConductorFixture.start()
        defer { fixture.finish() }
        let node = UUID()
        try await fixture.command(.enroll(uuid: node, fields: [
            "driver": "fake-hardware", "boot_interface": "ipxe", "deploy_interface": "direct", "storage_interface": "external",
            "driver_info": ["deploy_kernel": "images/ipa.kernel", "deploy_ramdisk": "images/ipa.initramfs"],
        ]), node)
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:cc:00:01"]), node)
        try await fixture.command(.createVolumeConnector(uuid: UUID(), fields: ["type": "iqn", "connector_id": "iqn.2024-01.org.example:pxe-3"]), node)
        try await fixture.command(.createVolumeTarget(uuid: UUID(), fields: [
            "volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-1",
            "properties": ["target_iqn": "iqn.2010-10.org.openstack:vol-1", "target_portal": "192.0.2.20:3260", "target_lun": 0,
                           "auth_username": "chap", "auth_password": "s3cret"],
        ]), node)
        try await fixture.provision(.manage, node)
        try await fixture.provision(.provide, node)
        try await fixture.agentCallBack(node)
        #expect(try fixture.node(node).provisionState == .available)

        try await fixture.provision(.active, node)
        #expect(try fixture.node(node).provisionState == .active, "no agent is awaited when booting from a volume")
        let script = try #require(fixture.bootFile(fixture.boot.ipxeScript(node)))
        #expect(script.contains("set initiator-iqn iqn.2024-01.org.example:pxe-3"))
        #expect(script.contains("set password s3cret"))
        #expect(script.contains("sanhook --drive 0x80 iscsi:192.0.2.20::3260:0:iqn.2010-10.org.openstack:vol-1"))
        #expect(!(try fixture.conductor.commands.aggregate(node)?.attachedVolumes.isEmpty ?? true))
    }
}
