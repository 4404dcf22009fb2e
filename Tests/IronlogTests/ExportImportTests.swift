import Domain
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// `ironlog export` and `ironlog import`: the log out as JSON lines and back into a new data
/// directory with the same hash chain, and a changed or shortened export refused.
@Suite("ironlog export and import")
struct ExportImportTests {
    /// A data directory with nodes driven through several commands, and an allocation (whose
    /// reservation commits two streams at once); closed.
    private static func source(in directory: URL) async throws -> String {
        let data = directory.appendingPathComponent("data").path
        let conductor = try await Conductor.open(directory: data, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { conductor.close() }
        try conductor.start()
        for index in 0..<5 {
            let node = UUID()
            try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware", "name": .string("n\(index)"),
                                                                            "resource_class": "gold", "driver_info": ["fake_password": "s3cret"]]),
                                                node: node, metadata: EventMetadata(actor: "alice", requestID: "req-\(index)"))
            try await conductor.commands.handle(.provision(verb: .manage, arguments: ProvisionArguments()), node: node, metadata: EventMetadata(actor: "alice"))
        }
        try await conductor.settle()
        for node in try conductor.store.read({ try NodeStore.all(in: $0, tables: conductor.projections.nodes.tables) }) {
            try await conductor.commands.handle(.provision(verb: .provide, arguments: ProvisionArguments()), node: node.uuid, metadata: EventMetadata(actor: "bob"))
        }
        try await conductor.settle()
        _ = try await conductor.allocations.create(uuid: UUID(), AllocationDecider.Request(resourceClass: "gold"), metadata: EventMetadata(actor: "carol"))
        try await conductor.settle()
        return data
    }

    private static func deepReport(_ data: String, in directory: URL) async throws -> [String: Any] {
        let verified = try await runIronlog(["verify", "--data", data, "--deep", "--json", "--scratch", directory.path], in: directory)
        #expect(verified.termination == .exit(0), "\(verified.output)")
        let json = try #require(verified.output.split(separator: "\n").first { $0.hasPrefix("{") })
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("an imported export has the same hash chain, head and projections as the log it came from")
    func roundTrip() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-export-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try await Self.source(in: directory)
        let export = directory.appendingPathComponent("log.jsonl").path, imported = directory.appendingPathComponent("imported").path
        let exported = try await runIronlog(["export", "--data", data, "--output", export], in: directory)
        #expect(exported.termination == .exit(0), "\(exported.output)")
        let lines = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.contains(#""format":"ironlog-export""#) == true)
        #expect(!lines.contains { $0.contains("s3cret") }, "sealed secrets stay sealed")

        let importing = try await runIronlog(["import", export, "--data", imported], in: directory)
        #expect(importing.termination == .exit(0), "\(importing.output)")
        let original = try await Self.deepReport(data, in: directory), copy = try await Self.deepReport(imported, in: directory)
        #expect(copy["head_position"] as? Int == original["head_position"] as? Int)
        #expect(copy["head_hash"] as? String == original["head_hash"] as? String)
        let originalDigest = (original["projections"] as? [String: Any])?["live_digest"] as? String
        #expect(originalDigest != nil && (copy["projections"] as? [String: Any])?["live_digest"] as? String == originalDigest)
    }

    @Test("a changed event, a shortened export and a non-empty directory are refused, leaving nothing behind")
    func refusals() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-import-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try await Self.source(in: directory)
        let export = directory.appendingPathComponent("log.jsonl").path
        #expect(try await runIronlog(["export", "--data", data, "--output", export], in: directory).termination == .exit(0))
        var lines = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n").map(String.init)

        var changed = lines
        let victim = try #require(lines.indices.dropFirst(2).first { lines[$0].contains(#""actor":"alice""#) })
        changed[victim] = changed[victim].replacingOccurrences(of: #""actor":"alice""#, with: #""actor":"mallory""#)
        let changedFile = directory.appendingPathComponent("changed.jsonl").path
        try changed.joined(separator: "\n").write(toFile: changedFile, atomically: true, encoding: .utf8)
        let target = directory.appendingPathComponent("target").path
        let tampered = try await runIronlog(["import", changedFile, "--data", target], in: directory)
        #expect(tampered.termination == .exit(1) && tampered.output.contains("line \(victim + 1) of the export") && tampered.output.contains("does not chain"))
        #expect(!FileManager.default.fileExists(atPath: target))

        lines.removeLast()
        let shortFile = directory.appendingPathComponent("short.jsonl").path
        try lines.joined(separator: "\n").write(toFile: shortFile, atomically: true, encoding: .utf8)
        let short = try await runIronlog(["import", shortFile, "--data", target], in: directory)
        #expect(short.termination == .exit(1) && short.output.contains("cut short"))
        #expect(!FileManager.default.fileExists(atPath: target))

        let occupied = try await runIronlog(["import", export, "--data", data], in: directory)
        #expect(occupied.termination == .exit(1) && occupied.output.contains("not empty"))
    }
}
