import Domain
import Engine
import EventStore
import Foundation
import Testing

/// `ironlog verify --deep`: the projections rebuilt from the log in a scratch copy and compared
/// with the live ones.
@Suite("ironlog verify --deep")
struct DeepVerifyTests {
    /// A data directory with a few nodes through the conductor, closed.
    private static func dataDirectory() async throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-deep-\(UUID().uuidString)", isDirectory: true)
        let conductor = try await Conductor.open(directory: directory.appendingPathComponent("data").path,
                                                 options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { conductor.close() }
        try conductor.start()
        for index in 0..<3 {
            let node = UUID()
            try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware", "name": .string("deep-\(index)")]), node: node,
                                                metadata: EventMetadata(actor: "test"))
            try await conductor.commands.handle(.requestPower(target: .off, timeout: nil), node: node, metadata: EventMetadata(actor: "test"))
        }
        try await conductor.settle()
        return directory
    }

    private static func verify(_ directory: URL, _ arguments: [String]) async throws -> (termination: ChildProcess.Termination, output: String) {
        let out = directory.appendingPathComponent("verify-\(UUID().uuidString).out").path
        let ended = try await ChildProcess(IronlogBinary.url().path, ["verify", "--data", directory.appendingPathComponent("data").path] + arguments,
                                           standardOutput: .file(out)).wait()
        return (ended, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }

    @Test("projections that are what the log says pass, and the scratch copy is removed")
    func matching() async throws {
        let directory = try await Self.dataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scratch = directory.appendingPathComponent("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let (ended, output) = try await Self.verify(directory, ["--deep", "--json", "--scratch", scratch.path])
        #expect(ended == .exit(0), "\(output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let projections = try #require(report["projections"] as? [String: Any])
        #expect(projections["identical"] as? Bool == true)
        #expect(projections["live_digest"] as? String == projections["rebuilt_digest"] as? String)
        #expect(projections["head_position"] as? Int == 9)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test("a projection row that drifted from the log is found, with the command that repairs it")
    func drifted() async throws {
        let directory = try await Self.dataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try LMDBEventStore(directory: directory.appendingPathComponent("data").path,
                                           options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
            defer { store.close() }
            let names = try await store.openDatabase(named: "proj/node-names")
            try await store.write { txn in try txn.put(Array(UUID().uuidString.utf8), forKey: Array("ghost".utf8), in: names) }
        }
        let (ended, output) = try await Self.verify(directory, ["--deep"])
        #expect(ended == .exit(1))
        #expect(output.contains("OK: 9 envelopes"), "the log itself is sound: \(output)")
        #expect(output.contains("FAILED: the projections differ from the log up to 9"))
        #expect(output.contains("ironlog rebuild --data"))
    }
}
