import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// A `redfish` node driven through the engine — a started `Conductor` with the standard
/// drivers, on the system clock — against a real sushy-emulator: manage (verify), inspect,
/// power actions and the boot device, checking the emulator's own state after each step.
@Suite("Redfish node through the engine", .serialized)
struct RedfishLifecycleTests {
    func metadata() -> EventMetadata { EventMetadata(actor: "admin", project: "ops", requestID: "req-\(UUID().uuidString.lowercased())") }

    @Test("manage, inspect, power on/off/reboot and boot device of a redfish node")
    func lifecycle() async throws {
        var options = EmulatorOptions()
        options.credentials = ("admin", "password")
        try await withEmulator(options) { emulator in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-redfish-conductor-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var configuration = EngineConfiguration()
            configuration.host = "test-conductor"
            let conductor = try await Conductor.open(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly),
                                                     configuration: configuration, drivers: .standard(), clock: SystemClock())
            defer { conductor.close() }
            try conductor.start()

            func command(_ command: NodeCommand, _ node: UUID) async throws {
                try await conductor.commands.handle(command, node: node, metadata: metadata())
                try await conductor.settle()
            }
            func node(_ uuid: UUID) throws -> Node {
                guard let aggregate = try conductor.commands.aggregate(uuid) else { throw SupportError("node \(uuid) not found") }
                return aggregate.node
            }

            let uuid = UUID()
            try await command(.enroll(uuid: uuid, fields: ["driver": "redfish", "name": "redfish-1", "driver_info": .object(emulator.driverInfo(system: 2))]), uuid)
            let enrolled = try node(uuid)
            #expect(enrolled.provisionState == .enroll)
            #expect(enrolled.driverInfo["redfish_password"]?.stringValue != "password", "the password is sealed in the log")
            let validation = try conductor.validate(uuid)
            #expect(validation[.power]?.result == true, "\(String(describing: validation[.power]))")
            #expect(validation[.management]?.result == true)

            try await command(.provision(verb: .manage, arguments: ProvisionArguments()), uuid)
            var current = try node(uuid)
            #expect(current.provisionState == .manageable, "\(current.lastError ?? "")")
            #expect(current.powerState == .off)

            try await command(.provision(verb: .inspect, arguments: ProvisionArguments()), uuid)
            current = try node(uuid)
            #expect(current.provisionState == .manageable, "\(current.lastError ?? "")")
            #expect(current.properties["cpus"] == 4)
            #expect(current.properties["memory_mb"] == 8192)
            #expect(current.properties["cpu_arch"] == "x86_64")
            #expect(current.properties["local_gb"] == 99)

            try await command(.requestPower(target: .on, timeout: nil), uuid)
            current = try node(uuid)
            #expect(current.powerState == .on, "\(current.lastError ?? "")")
            #expect(current.targetPowerState == nil)
            #expect(try await emulator.powerState(2) == "On")
            #expect(try await emulator.powerState(1) == "Off", "only the node's system")

            try await conductor.setBootDevice(uuid, .pxe, persistent: true, metadata: metadata())
            #expect(try await emulator.directGET(emulator.systemPath(2))["Boot"]?["BootSourceOverrideTarget"] == "Pxe")
            let read = try await conductor.bootDevice(uuid)
            #expect(read.device == .pxe)
            try await conductor.setBootDevice(uuid, .disk, persistent: false, metadata: metadata())
            #expect(try await emulator.directGET(emulator.systemPath(2))["Boot"]?["BootSourceOverrideTarget"] == "Hdd")

            try await command(.requestPower(target: .off, timeout: nil), uuid)
            #expect(try node(uuid).powerState == .off)
            #expect(try await emulator.powerState(2) == "Off")

            try await command(.requestPower(target: .rebooting, timeout: nil), uuid)
            #expect(try node(uuid).powerState == .on)
            #expect(try await emulator.powerState(2) == "On")

            try await command(.requestPower(target: .softOff, timeout: 30), uuid)
            #expect(try node(uuid).powerState == .off)
            #expect(try await emulator.powerState(2) == "Off")
            #expect(try node(uuid).lastError == nil)
        }
    }

    @Test("a BMC that refuses the credentials fails verification with the BMC's reason")
    func wrongCredentials() async throws {
        var options = EmulatorOptions()
        options.credentials = ("admin", "password")
        try await withEmulator(options) { emulator in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-redfish-conductor-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var configuration = EngineConfiguration()
            configuration.host = "test-conductor"
            let conductor = try await Conductor.open(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly),
                                                     configuration: configuration, drivers: redfishRegistry, clock: SystemClock())
            defer { conductor.close() }
            try conductor.start()

            var info = emulator.driverInfo(system: 1)
            info["redfish_password"] = "not-the-password"
            let uuid = UUID()
            try await conductor.commands.handle(.enroll(uuid: uuid, fields: ["driver": "redfish", "driver_info": .object(info)]), node: uuid, metadata: metadata())
            try await conductor.commands.handle(.provision(verb: .manage, arguments: ProvisionArguments()), node: uuid, metadata: metadata())
            try await conductor.settle()
            let node = try #require(try conductor.commands.aggregate(uuid)).node
            #expect(node.provisionState == .enroll)
            #expect(node.lastError?.contains("HTTP 401") == true, "\(node.lastError ?? "")")
            #expect(node.lastError?.contains("Incorrect username or password") == true)
        }
    }

    @Test("enroll → manage → provide → deploy → active → undeploy with virtual media: the emulator's power, boot target and inserted media after each step")
    func deployLifecycle() async throws {
        let image = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try await withHTTPServer(files: ["instance.iso": image]) { server in
            try await withEmulator { emulator in
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-redfish-deploy-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: directory) }
                var configuration = EngineConfiguration()
                configuration.host = "test-conductor"
                let conductor = try await Conductor.open(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly),
                                                         configuration: configuration, drivers: .standard(), clock: SystemClock())
                defer { conductor.close() }
                try conductor.start()
                func command(_ command: NodeCommand, _ node: UUID) async throws {
                    try await conductor.commands.handle(command, node: node, metadata: metadata())
                    try await conductor.settle()
                }
                func node(_ uuid: UUID) throws -> Node {
                    guard let aggregate = try conductor.commands.aggregate(uuid) else { throw SupportError("node \(uuid) not found") }
                    return aggregate.node
                }
                func cd() async throws -> JSONValue { try await emulator.directGET(emulator.systemPath(1) + "/VirtualMedia/Cd") }

                var info = emulator.driverInfo(system: 1)
                info["redfish_deploy_iso"] = .string(server.baseURL + "/instance.iso")
                let uuid = UUID()
                try await conductor.enroll(uuid, fields: [
                    "driver": "redfish", "driver_info": .object(info), "boot_interface": "redfish-virtual-media", "deploy_interface": "ramdisk",
                    "instance_info": ["boot_iso": .string(server.baseURL + "/instance.iso")],
                ], metadata: metadata())
                try await command(.provision(verb: .manage, arguments: ProvisionArguments()), uuid)
                let managed = try node(uuid)
                #expect(managed.provisionState == .manageable, "\(managed.lastError ?? "")")

                try await command(.provision(verb: .provide, arguments: ProvisionArguments()), uuid)
                let provided = try node(uuid)
                #expect(provided.provisionState == .available, "\(provided.lastError ?? "")")
                #expect(try await emulator.powerState(1) == "Off")

                try await command(.provision(verb: .active, arguments: ProvisionArguments()), uuid)
                let deployed = try node(uuid)
                #expect(deployed.provisionState == .active, "\(deployed.lastError ?? "")")
                #expect(deployed.powerState == .on)
                #expect(try await emulator.powerState(1) == "On")
                let media = try await cd()
                #expect(media["Inserted"]?.boolValue == true)
                #expect(media["Image"]?.stringValue == server.baseURL + "/instance.iso")
                #expect(try await emulator.directGET(emulator.systemPath(1))["Boot"]?["BootSourceOverrideTarget"]?.stringValue == "Cd")

                try await command(.provision(verb: .deleted, arguments: ProvisionArguments()), uuid)
                let undeployed = try node(uuid)
                #expect(undeployed.provisionState == .available, "\(undeployed.lastError ?? "")")
                #expect(try await emulator.powerState(1) == "Off")
                #expect(try await cd()["Inserted"]?.boolValue == false)
            }
        }
    }
}
