import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections

/// A fresh boot directory under the system's temporary directory, removed when it goes away.
final class BootRoot: Sendable {
    let path: String
    let configuration: BootConfiguration

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-boot-\(UUID().uuidString)").path
        configuration = BootConfiguration(root: path, httpURL: "http://192.0.2.1:8080/boot", apiURL: "http://192.0.2.1:6385")
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The content of `relative`, or `nil` if there is no such file.
    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: configuration.path(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `relative` exists.
    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: configuration.path(relative)) }

    /// Every file under the root, relative to it, sorted.
    func allFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        var files: [String] = []
        while let entry = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: configuration.path(entry), isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(entry)
            }
        }
        return files.sorted()
    }
}

/// A `fake-hardware` node's driver task with the interfaces a test chooses, resolved by the
/// standard registry writing into `root`.
struct TaskBuilder {
    let root: BootRoot
    let fake = FakeBehaviour()
    var node: Node
    var ports: [Domain.Port] = []
    var volumeTargets: [VolumeTarget] = []
    var volumeConnectors: [VolumeConnector] = []

    init(root: BootRoot, boot: String = "ipxe", deploy: String = "direct", storage: String = "noop",
         driverInfo: JSONValue = ["deploy_kernel": "images/ipa.kernel", "deploy_ramdisk": "http://images.example/ipa.initramfs"],
         instanceInfo: JSONValue = ["image_source": "http://images.example/ubuntu.qcow2", "image_checksum": "abc123"],
         macs: [String] = ["52:54:00:12:34:56"]) {
        self.root = root
        node = Node(uuid: UUID(), driver: "fake-hardware")
        node.interfaces = [.boot: boot, .deploy: deploy, .storage: storage, .network: "noop"]
        node.driverInfo = driverInfo
        node.instanceInfo = instanceInfo
        node.provisionState = .deploying
        ports = macs.map { Domain.Port(uuid: UUID(), nodeUUID: node.uuid, address: $0) }
    }

    var registry: DriverRegistry { .standard(fake: fake, boot: root.configuration) }

    /// The task, resolving the node's interfaces.
    func task() throws -> DriverTask {
        DriverTask(node: node, driver: try registry.resolve(node), ports: ports, volumeTargets: volumeTargets,
                   volumeConnectors: volumeConnectors, clock: ManualClock())
    }

    /// The node's iPXE script, pxelinux config and directory.
    var ipxeScript: String { root.configuration.ipxeScript(node.uuid) }
    var pxeConfig: String { root.configuration.pxeConfig(node.uuid) }
    var nodeDirectory: String { root.configuration.nodeDirectory(node.uuid) }

    /// The per-MAC file of `mac` for `loader`.
    func macFile(_ mac: String, _ loader: NetworkBoot.Loader) -> String { root.configuration.macFile(mac, loader: loader)! }
}

/// A started conductor on a temporary data directory with fake hardware, a manual clock, and the
/// network boot interfaces writing into `<data>/boot`.
final class BootConductorFixture: Sendable {
    let directory: String
    let conductor: Conductor
    let fake: FakeBehaviour
    let boot: BootConfiguration

    private init(directory: String, conductor: Conductor, fake: FakeBehaviour, boot: BootConfiguration) {
        self.directory = directory
        self.conductor = conductor
        self.fake = fake
        self.boot = boot
    }

    static func start() async throws -> BootConductorFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-drivers-\(UUID().uuidString)").path
        let boot = BootConfiguration(root: (directory as NSString).appendingPathComponent("boot"), httpURL: "http://192.0.2.1:8080/boot",
                                     apiURL: "http://192.0.2.1:6385")
        let fake = FakeBehaviour()
        var configuration = EngineConfiguration()
        configuration.host = "test-conductor"
        let conductor = try await Conductor.open(
            directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly), configuration: configuration,
            drivers: .standard(fake: fake, boot: boot), clock: ManualClock()
        )
        try conductor.start()
        return BootConductorFixture(directory: directory, conductor: conductor, fake: fake, boot: boot)
    }

    /// Closes the conductor and removes its directory.
    func finish() {
        conductor.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A user command, then the engine settled.
    func command(_ command: NodeCommand, _ node: UUID) async throws {
        try await conductor.commands.handle(command, node: node, metadata: Self.metadata())
        try await conductor.settle()
    }

    /// A provision verb, then the engine settled.
    func provision(_ verb: ProvisionVerb, _ node: UUID) async throws {
        try await command(.provision(verb: verb, arguments: ProvisionArguments()), node)
    }

    /// The agent calls back, then the engine settled.
    func agentCallBack(_ node: UUID) async throws {
        try await conductor.agentCallBack(node, metadata: EventMetadata(actor: "agent"))
        try await conductor.settle()
    }

    /// The node as projected now.
    func node(_ uuid: UUID) throws -> Node {
        guard let aggregate = try conductor.commands.aggregate(uuid) else { throw DomainError.nodeNotFound(uuid.lowercased) }
        return aggregate.node
    }

    /// The content of `relative` under the boot root, or `nil`.
    func bootFile(_ relative: String) -> String? {
        FileManager.default.contents(atPath: boot.path(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Names of the steps of `phase` the node finished without error, in order.
    func finishedSteps(_ phase: StepPhase, _ uuid: UUID) throws -> [String] {
        try conductor.store.events(ofStream: NodeStream.id(uuid)).compactMap { recorded -> String? in
            if case .stepFinished(phase, let step, nil) = try NodeEvent.decode(payload: recorded.payload),
               case .string(let name)? = step["step"] { return name }
            return nil
        }
    }

    static func metadata() -> EventMetadata {
        EventMetadata(actor: "admin", project: "ops", requestID: "req-\(UUID().uuidString.lowercased())")
    }
}
