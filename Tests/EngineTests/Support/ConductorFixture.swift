import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections

/// A started conductor on a fresh temporary data directory, with fake hardware, a manual clock,
/// and the network boot interfaces writing into `<data>/boot`; removed when the fixture goes away.
final class ConductorFixture: Sendable {
    let directory: String
    let conductor: Conductor
    let clock: ManualClock
    let fake: FakeBehaviour

    private init(directory: String, conductor: Conductor, clock: ManualClock, fake: FakeBehaviour) {
        self.directory = directory
        self.conductor = conductor
        self.clock = clock
        self.fake = fake
    }

    /// Opens and starts a conductor in a new temporary directory (or in `directory`, to restart one).
    static func start(directory: String? = nil, configuration: EngineConfiguration = EngineConfiguration(),
                      fake: FakeBehaviour = FakeBehaviour(), clock: ManualClock = ManualClock()) async throws -> ConductorFixture {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-conductor-\(UUID().uuidString)").path
        var configuration = configuration
        configuration.host = "test-conductor"
        let conductor = try await Conductor.open(
            directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly), configuration: configuration,
            drivers: .standard(fake: fake, boot: bootConfiguration(directory)), clock: clock
        )
        try conductor.start()
        return ConductorFixture(directory: directory, conductor: conductor, clock: clock, fake: fake)
    }

    /// Where the network boot interfaces of a fixture on `directory` write, and the URLs they
    /// write into scripts.
    static func bootConfiguration(_ directory: String) -> BootConfiguration {
        BootConfiguration(root: (directory as NSString).appendingPathComponent("boot"), httpURL: "http://192.0.2.1:8080/boot",
                          apiURL: "http://192.0.2.1:6385")
    }

    /// The content of `relative` under the boot directory, or `nil`.
    func bootFile(_ relative: String) -> String? {
        let path = Self.bootConfiguration(directory).path(relative)
        return FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Closes the conductor, leaving its directory (to restart on it).
    func stop() { conductor.close() }

    /// Removes the directory (after `stop`).
    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Enrolls a fake-hardware node with `driverInfo`, returning its UUID.
    @discardableResult
    func enroll(name: String? = nil, driverInfo: JSONValue = .emptyObject, fields: [String: JSONValue] = [:]) async throws -> UUID {
        let uuid = UUID()
        var all: [String: JSONValue] = ["driver": "fake-hardware", "driver_info": driverInfo]
        if let name { all["name"] = .string(name) }
        all.merge(fields) { $1 }
        try await conductor.commands.handle(.enroll(uuid: uuid, fields: all), node: uuid, metadata: requestMetadata())
        return uuid
    }

    /// A user command, then the engine settled.
    func command(_ command: NodeCommand, _ node: UUID) async throws {
        try await conductor.commands.handle(command, node: node, metadata: requestMetadata())
        try await conductor.settle()
    }

    /// A provision verb, then the engine settled.
    func provision(_ verb: ProvisionVerb, _ node: UUID, _ arguments: ProvisionArguments = ProvisionArguments()) async throws {
        try await command(.provision(verb: verb, arguments: arguments), node)
    }

    /// The node as projected now.
    func node(_ uuid: UUID) throws -> Node {
        guard let aggregate = try conductor.commands.aggregate(uuid) else { throw DomainError.nodeNotFound(uuid.lowercased) }
        return aggregate.node
    }

    /// The node's events, decoded, in order.
    func history(_ uuid: UUID) throws -> [NodeEvent] {
        try conductor.store.events(ofStream: NodeStream.id(uuid)).map { try NodeEvent.decode(payload: $0.payload) }
    }
}
