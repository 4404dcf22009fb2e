import Domain
import Engine
import EventStore
import Foundation
import Testing

/// A data directory written through the real engine, a backup of it taken while it verified, and
/// the check every corruption case ends with: the backup restores every event up to its head.
struct CorruptionFixture {
    /// The temporary directory holding everything; ``remove()`` deletes it.
    let root: URL
    /// The data directory the case damages.
    let data: String
    /// `ironlog backup` of `data`, taken before any damage.
    let backup: String
    /// What the backup says it holds.
    let manifest: BackupManifest
    /// Every envelope's hash by position, as written.
    let hashes: [UInt64: EnvelopeHash]

    /// Enrolls `nodes` fake-hardware nodes named `<prefix>-<index>` through a conductor, closes
    /// it, and backs the data directory up with `ironlog backup`.
    static func make(nodes: Int, named prefix: String) async throws -> CorruptionFixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-corruption-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let data = root.appendingPathComponent("data").path, backup = root.appendingPathComponent("backup").path
        do {
            let conductor = try await Conductor.open(directory: data, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
            defer { conductor.close() }
            for index in 0..<nodes {
                let node = UUID()
                try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware", "name": .string("\(prefix)-\(index)")]),
                                                    node: node, metadata: EventMetadata(actor: "corruption-test"))
            }
        }
        let store = try LMDBEventStore(directory: data, options: StoreOptions(readOnly: true))
        let events = try await store.read(from: 1, limit: 1_000_000)
        store.close()
        let backedUp = try await runIronlog(["backup", "--data", data, backup], in: root)
        #expect(backedUp.termination == .exit(0), "\(backedUp.output)")
        return CorruptionFixture(root: root, data: data, backup: backup, manifest: try BackupManifest.read(from: backup),
                                 hashes: Dictionary(uniqueKeysWithValues: events.map { ($0.position, $0.hash) }))
    }

    /// Deletes every file the case made.
    func remove() { try? FileManager.default.removeItem(at: root) }

    /// `ironlog …` run to its end.
    func run(_ arguments: [String]) async throws -> (termination: ChildProcess.Termination, output: String) {
        try await runIronlog(arguments, in: root)
    }

    /// Starts `ironlog serve` on the data directory and expects it to exit non-zero without
    /// serving; returns what it wrote to stderr.
    func serveRefusal() async throws -> String {
        let server = try IronlogProcess(["serve", "--data", data, "--host", "127.0.0.1", "--port", "\(try LoopbackPort.free())"])
        defer { server.killIfRunning() }
        let ended = try await server.waitForExit(seconds: 60)
        #expect(ended != nil && ended != .exit(0), "ironlog serve should refuse a damaged data directory; stderr:\n\(server.standardError)")
        return server.standardError
    }

    /// Restores the backup into a fresh directory and checks that it verifies and holds every
    /// event up to the backup's head, each with the hash it was written with.
    func expectBackupRestoresEverything() async throws {
        let restored = root.appendingPathComponent("restored").path
        let restoring = try await run(["restore", backup, "--data", restored])
        #expect(restoring.termination == .exit(0), "\(restoring.output)")
        let verified = try await run(["verify", "--data", restored])
        #expect(verified.termination == .exit(0) && verified.output.contains("OK: \(manifest.headPosition) envelopes"), "\(verified.output)")
        let store = try LMDBEventStore(directory: restored, options: StoreOptions(readOnly: true))
        defer { store.close() }
        let events = try await store.read(from: 1, limit: 1_000_000)
        #expect(events.map(\.position) == Array(1...manifest.headPosition))
        #expect(events.allSatisfy { hashes[$0.position] == $0.hash }, "a restored event differs from the one written")
        #expect(UInt64(hashes.count) == manifest.headPosition)
    }
}

/// Polls `GET /` until `server` answers; records an issue and throws if it exits or 30 s pass.
func firstAnswer(from server: IronlogProcess, port: Int) async throws -> RawHTTP.Response {
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
        guard server.isRunning else {
            Issue.record("ironlog serve exited before answering; stderr:\n\(server.standardError)")
            throw CancellationError()
        }
        if let response = try? RawHTTP.get("/", port: port) { return response }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("ironlog serve did not answer GET / within 30 s; stderr:\n\(server.standardError)")
    throw CancellationError()
}

/// Ironic's error body decoded twice: the `faultstring` inside `error_message`.
func faultString(of response: RawHTTP.Response) -> String? {
    guard let outer = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
          let inner = (outer["error_message"] as? String).flatMap({ $0.data(using: .utf8) }),
          let fault = try? JSONSerialization.jsonObject(with: inner) as? [String: Any] else { return nil }
    return fault["faultstring"] as? String
}
