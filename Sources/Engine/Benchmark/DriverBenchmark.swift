import Domain
import Drivers
import EventStore
import Foundation
import Logging

/// The figures `ironlog bench drivers` reports; its JSON keys are the contract of `--json`.
public struct DriverBenchmarkReport: Codable, Sendable {
    public var nodes: Int
    public var ipmiBMCs: Int
    public var redfishBMCs: Int
    public var powerCycleSeconds: Double
    public var powerCycleCallsPerNode: Double
    public var deploySeconds: Double
    public var deployCallsPerNode: Double
    public var activeNodes: Int

    enum CodingKeys: String, CodingKey {
        case nodes
        case ipmiBMCs = "ipmi_bmcs"
        case redfishBMCs = "redfish_bmcs"
        case powerCycleSeconds = "power_cycle_s"
        case powerCycleCallsPerNode = "power_cycle_bmc_calls_per_node"
        case deploySeconds = "deploy_s"
        case deployCallsPerNode = "deploy_bmc_calls_per_node"
        case activeNodes = "active_nodes"
    }
}

/// Real drivers against emulated BMCs: one node per `ipmi_sim` BMC (an IPMI BMC is one
/// machine's), the other nodes spread over the systems of the sushy-emulator (Redfish) BMCs. Every node is verified, power cycled, then cleaned
/// and deployed (iPXE boot, `ramdisk` deploy); each phase's wall time and BMC calls per node
/// (ipmitool runs plus Redfish HTTP requests) are reported.
public struct DriverBenchmark: Sendable {
    public var nodes = 50
    public var ipmiBMCs = 10
    public var redfishBMCs = 10
    /// The directory of the emulator launchers (`tools/emulators` of the repository).
    public var tools = "tools/emulators"
    public var workDirectory = FileManager.default.temporaryDirectory.path
    /// Spacing of commands to one IPMI BMC (Ironic's `min_command_interval` is 5 s; emulators
    /// need none, and the figure of interest is the number of calls).
    public var ipmiCommandInterval: Duration = .milliseconds(100)

    public init() {}

    public func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> DriverBenchmarkReport {
        let directory = workDirectory + "/ironlog-bench-drivers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/emulators", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tools = URL(fileURLWithPath: self.tools).standardizedFileURL.path
        let launcher = EmulatorLauncher(tools: tools, state: directory + "/emulators")
        let owner = String(getpid())

        progress("starting \(ipmiBMCs) ipmi_sim BMCs…")
        let ipmiPorts = try (0..<ipmiBMCs).map { _ in try LoopbackPort.free(.udp) }
        try launcher.run("ipmi-sim", ["start", "-d", directory + "/emulators/ipmi", "-w", owner] + ipmiPorts.map(String.init))
        defer { _ = try? launcher.run("ipmi-sim", ["stop", "-d", directory + "/emulators/ipmi"]) }

        progress("starting \(redfishBMCs) sushy-emulator BMCs…")
        let ipmiNodes = min(ipmiBMCs, nodes / 2)
        let systemsPerBMC = max(1, (nodes - ipmiNodes + redfishBMCs - 1) / max(redfishBMCs, 1))
        var redfishPorts: [Int] = []
        defer { for port in redfishPorts { _ = try? launcher.run("sushy", ["stop", "--port", String(port), "--wipe"]) } }
        for instance in 0..<redfishBMCs {
            let port = try LoopbackPort.free(.tcp)
            try launcher.run("sushy", ["start", "--port", String(port), "--systems", String(systemsPerBMC), "--instance", String(instance),
                                       "--power-delay", "0", "--owner-pid", owner, "--state-dir", directory + "/emulators/sushy-\(instance)"])
            redfishPorts.append(port)
        }

        var logger = Logger(label: "ironlog.bench")
        logger.logLevel = .error
        let ipmi = IPMITool(configuration: IPMIConfiguration(minCommandInterval: ipmiCommandInterval))
        let conductor = try await Conductor.open(
            directory: directory + "/data", drivers: .standard(boot: BootConfiguration(root: directory + "/boot"), ipmi: ipmi), logger: logger
        )
        defer { conductor.close() }
        try conductor.start()

        let uuids = (0..<nodes).map { _ in UUID() }
        for (index, uuid) in uuids.enumerated() {
            try await conductor.enroll(uuid, fields: fields(index, ipmiNodes: ipmiNodes, ipmiPorts: ipmiPorts, redfishPorts: redfishPorts),
                                       metadata: Self.metadata)
            let mac = String(format: "52:54:%02x:00:%02x:%02x", index < ipmiNodes ? 0xAA : 0xBB, index >> 8 & 0xFF, index & 0xFF)
            try await conductor.commands.handle(.createPort(uuid: UUID(), fields: ["address": .string(mac)]), node: uuid, metadata: Self.metadata)
        }
        progress("verifying \(nodes) nodes…")
        try await everyNode(uuids, conductor, .provision(verb: .manage, arguments: ProvisionArguments()))

        progress("power cycling…")
        let clock = ContinuousClock()
        var calls = BMCCalls.count
        var started = clock.now
        try await everyNode(uuids, conductor, .requestPower(target: .rebooting, timeout: nil))
        let powerCycle = ((clock.now - started).seconds, Double(BMCCalls.count - calls) / Double(nodes))

        progress("cleaning and deploying…")
        calls = BMCCalls.count
        started = clock.now
        try await everyNode(uuids, conductor, .provision(verb: .provide, arguments: ProvisionArguments()))
        try await everyNode(uuids, conductor, .provision(verb: .active, arguments: ProvisionArguments()))
        let deploy = ((clock.now - started).seconds, Double(BMCCalls.count - calls) / Double(nodes))
        let active = try uuids.filter { try conductor.commands.aggregate($0)?.node.provisionState == .active }.count
        if active < nodes, let failed = try uuids.compactMap({ try conductor.commands.aggregate($0)?.node }).first(where: { $0.provisionState != .active }) {
            progress("not active: \(failed.uuid.lowercased) in \(failed.provisionState.rawValue): \(failed.lastError ?? "")")
        }
        return DriverBenchmarkReport(
            nodes: nodes, ipmiBMCs: ipmiBMCs, redfishBMCs: redfishBMCs, powerCycleSeconds: powerCycle.0,
            powerCycleCallsPerNode: powerCycle.1, deploySeconds: deploy.0, deployCallsPerNode: deploy.1, activeNodes: active
        )
    }

    private static var metadata: EventMetadata { EventMetadata(actor: "bench", requestID: "req-\(UUID().uuidString.lowercased())") }

    /// Gives every node `command` at once, then waits for the fleet to settle.
    private func everyNode(_ uuids: [UUID], _ conductor: Conductor, _ command: NodeCommand) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for uuid in uuids {
                group.addTask { try await conductor.commands.handle(command, node: uuid, metadata: Self.metadata) }
            }
            try await group.waitForAll()
        }
        try await conductor.settle()
    }

    /// Node `index`: the first `ipmiNodes` each on its own ipmi_sim BMC, the others on the
    /// Redfish systems in turn; iPXE boot and the `ramdisk` deploy (no agent needed).
    private func fields(_ index: Int, ipmiNodes: Int, ipmiPorts: [Int], redfishPorts: [Int]) -> [String: JSONValue] {
        var info: [String: JSONValue] = ["deploy_kernel": "http://127.0.0.1:8080/deploy.kernel", "deploy_ramdisk": "http://127.0.0.1:8080/deploy.initrd"]
        let driver: String
        if index < ipmiNodes {
            driver = "ipmi"
            info["ipmi_address"] = "127.0.0.1"
            info["ipmi_port"] = .number(Double(ipmiPorts[index]))
            info["ipmi_username"] = "admin"
            info["ipmi_password"] = "password"
            info["ipmi_cipher_suite"] = 3
        } else {
            driver = "redfish"
            let redfishIndex = index - ipmiNodes
            let instance = redfishIndex % redfishPorts.count, system = redfishIndex / redfishPorts.count + 1
            info["redfish_address"] = .string("http://127.0.0.1:\(redfishPorts[instance])")
            info["redfish_system_id"] = .string(String(format: "/redfish/v1/Systems/%08x-0000-4000-8000-%012x", instance, system))
        }
        return [
            "driver": .string(driver), "name": .string("bmc-node-\(index)"), "driver_info": .object(info),
            "boot_interface": "ipxe", "deploy_interface": "ramdisk",
            "instance_info": ["kernel": "http://127.0.0.1:8080/vmlinuz", "ramdisk": "http://127.0.0.1:8080/initrd"],
        ]
    }
}
