import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Testing

@Suite("An ipmi node driven through the engine against emulated BMCs")
struct IPMILifecycleTests {
    /// A started conductor whose registry has the ipmi drivers with short test timeouts, on a
    /// manual clock so that no periodic check runs behind the test's back (the BMCs themselves
    /// run in real time, and so do the drivers' waits).
    private static func conductor(_ drivers: IPMIDrivers) async throws -> (Conductor, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-ipmi-conductor-\(UUID().uuidString)").path
        var configuration = EngineConfiguration()
        configuration.host = "test-conductor"
        let conductor = try await Conductor.open(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly),
                                                 configuration: configuration, drivers: drivers.registry, clock: ManualClock())
        try conductor.start()
        return (conductor, directory)
    }

    private static func metadata() -> EventMetadata { EventMetadata(actor: "admin", project: "ops", requestID: "req-\(UUID().uuidString.lowercased())") }

    private static func node(_ conductor: Conductor, _ uuid: UUID) throws -> Node {
        try #require(try conductor.commands.aggregate(uuid)).node
    }

    private static func command(_ conductor: Conductor, _ command: NodeCommand, _ uuid: UUID) async throws {
        try await conductor.commands.handle(command, node: uuid, metadata: metadata())
        try await conductor.settle()
    }

    @Test("enroll → manage → power on → boot device → reboot → power off, the emulator following each step")
    func lifecycle() async throws {
        let drivers = IPMIDrivers()
        let (conductor, directory) = try await Self.conductor(drivers)
        defer {
            conductor.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await withSimulatedBMCs(2) { simulators in
            var nodes: [UUID] = []
            for (index, bmc) in simulators.bmcs.enumerated() {
                let uuid = UUID()
                try await conductor.commands.handle(
                    .enroll(uuid: uuid, fields: ["driver": "ipmi", "name": .string("ipmi-\(index)"), "driver_info": bmc.driverInfo()]),
                    node: uuid, metadata: Self.metadata())
                nodes.append(uuid)
            }
            let (first, second) = (nodes[0], nodes[1])
            let (bmc, other) = (simulators.bmcs[0], simulators.bmcs[1])
            let resolved = try conductor.drivers.resolve(Self.node(conductor, first))
            #expect(resolved.names[.power] == "ipmitool")
            #expect(resolved.names[.management] == "ipmitool")
            #expect(try conductor.validate(first)[.power]?.result == true)

            // manage: verifying reads the power state through the BMC.
            for uuid in nodes { try await Self.command(conductor, .provision(verb: .manage, arguments: ProvisionArguments()), uuid) }
            for uuid in nodes {
                let managed = try Self.node(conductor, uuid)
                #expect(managed.provisionState == .manageable, "\(managed.lastError ?? "")")
                #expect(managed.powerState == .off)
            }

            try await Self.command(conductor, .requestPower(target: .on, timeout: nil), first)
            #expect(try Self.node(conductor, first).powerState == .on)
            #expect(try Self.node(conductor, first).lastError == nil)
            #expect(bmc.chassisPower == "1")
            #expect(try await bmc.witnessedPower() == "on")
            #expect(try await other.witnessedPower() == "off")

            try await conductor.setBootDevice(first, .pxe, persistent: true, metadata: Self.metadata())
            #expect(bmc.chassisFile("boot") == "pxe")
            #expect(try await bmc.ipmitool("chassis", "bootparam", "get", "5").contains("Force PXE"))
            #expect(try await conductor.bootDevice(first).device == .pxe)
            #expect(try Self.node(conductor, first).bootDevice == .pxe)
            try await conductor.setBootDevice(second, .disk, persistent: false, metadata: Self.metadata())
            #expect(other.chassisFile("boot") == "default")
            #expect(bmc.chassisFile("boot") == "pxe")

            try await Self.command(conductor, .requestPower(target: .rebooting, timeout: nil), first)
            #expect(try Self.node(conductor, first).powerState == .on)
            #expect(bmc.changes.filter { $0.hasPrefix("set power") }.suffix(2) == ["set power 0", "set power 1"])
            #expect(try await bmc.witnessedPower() == "on")

            try await Self.command(conductor, .requestPower(target: .off, timeout: nil), first)
            #expect(try Self.node(conductor, first).powerState == .off)
            #expect(try await bmc.witnessedPower() == "off")
        }
    }

    @Test("a power request with the wrong password fails with the BMC and cause in last_error, power unchanged")
    func wrongPasswordThroughTheEngine() async throws {
        let drivers = IPMIDrivers()
        let (conductor, directory) = try await Self.conductor(drivers)
        defer {
            conductor.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let uuid = UUID()
            try await conductor.commands.handle(
                .enroll(uuid: uuid, fields: ["driver": "ipmi", "driver_info": bmc.driverInfo(password: "wrong-password")]),
                node: uuid, metadata: Self.metadata())
            try await Self.command(conductor, .requestPower(target: .on, timeout: nil), uuid)
            let node = try Self.node(conductor, uuid)
            let error = try #require(node.lastError)
            #expect(error.contains(bmc.name))
            #expect(error.contains("password"))
            #expect(node.powerState == nil)
            #expect(node.targetPowerState == nil)
            #expect(bmc.chassisPower == "0")
        }
    }

    @Test("enroll → manage → provide → deploy → active → undeploy: the emulator's power and boot device, and the boot files, after each step")
    func deployLifecycle() async throws {
        let drivers = IPMIDrivers()
        let boot = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-ipmi-boot-\(UUID().uuidString)").path
        let registry = DriverRegistry(hardwareTypes: [.ipmi], implementations: [
            drivers.power, drivers.management, StaticNetwork(name: "flat"), StaticStorage(),
            NetworkBoot(.ipxe, configuration: BootConfiguration(root: boot)), RamdiskDeploy(),
        ])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-ipmi-deploy-\(UUID().uuidString)").path
        var configuration = EngineConfiguration()
        configuration.host = "test-conductor"
        let conductor = try await Conductor.open(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly),
                                                 configuration: configuration, drivers: registry, clock: ManualClock())
        try conductor.start()
        defer {
            conductor.close()
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: boot)
        }
        try await withSimulatedBMCs(1) { simulators in
            let bmc = simulators.bmcs[0]
            guard case .object(var info) = bmc.driverInfo() else { throw CancellationError() }
            info["deploy_kernel"] = "http://127.0.0.1:8080/deploy.kernel"
            info["deploy_ramdisk"] = "http://127.0.0.1:8080/deploy.initrd"
            let uuid = UUID()
            try await conductor.enroll(uuid, fields: [
                "driver": "ipmi", "driver_info": .object(info), "boot_interface": "ipxe", "deploy_interface": "ramdisk",
                "instance_info": ["kernel": "http://127.0.0.1:8080/vmlinuz", "ramdisk": "http://127.0.0.1:8080/initrd"],
            ], metadata: Self.metadata())
            try await Self.command(conductor, .createPort(uuid: UUID(), fields: ["address": "52:54:00:12:34:56"]), uuid)
            func bootFiles() -> [String] {
                (FileManager.default.enumerator(atPath: boot)?.allObjects as? [String] ?? []).filter { !$0.hasSuffix("/") }
            }

            try await Self.command(conductor, .provision(verb: .manage, arguments: ProvisionArguments()), uuid)
            #expect(try Self.node(conductor, uuid).provisionState == .manageable)

            try await Self.command(conductor, .provision(verb: .provide, arguments: ProvisionArguments()), uuid)
            let provided = try Self.node(conductor, uuid)
            #expect(provided.provisionState == .available, "\(provided.lastError ?? "")")
            #expect(try await bmc.witnessedPower() == "off")

            try await Self.command(conductor, .provision(verb: .active, arguments: ProvisionArguments()), uuid)
            let deployed = try Self.node(conductor, uuid)
            #expect(deployed.provisionState == .active, "\(deployed.lastError ?? "")")
            #expect(deployed.powerState == .on)
            #expect(try await bmc.witnessedPower() == "on")
            #expect(bmc.chassisFile("boot") == "pxe")
            let instanceScript = try #require(bootFiles().first { $0.contains(uuid.lowercased) && $0.hasSuffix(".ipxe") })
            let script = try String(contentsOfFile: boot + "/" + instanceScript, encoding: .utf8)
            #expect(script.contains("http://127.0.0.1:8080/vmlinuz"))

            try await Self.command(conductor, .provision(verb: .deleted, arguments: ProvisionArguments()), uuid)
            let undeployed = try Self.node(conductor, uuid)
            #expect(undeployed.provisionState == .available, "\(undeployed.lastError ?? "")")
            #expect(try await bmc.witnessedPower() == "off")
            #expect(!bootFiles().contains { $0.contains(uuid.lowercased) })
        }
    }
}
