import Domain
import Engine
import EventStore
import Foundation
import Testing

/// `ironlog history` against a data directory a conductor wrote: filters, formats, the causation
/// chain, and clear refusals.
@Suite("ironlog history")
struct HistoryCommandTests {
    /// A data directory with two nodes: `rack1-04` enrolled and powered off by alice (request
    /// `req-power`, project `ops`), `rack1-05` enrolled by bob.
    private static func dataDirectory() async throws -> (directory: URL, node: UUID) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-history-\(UUID().uuidString)", isDirectory: true)
        let data = directory.appendingPathComponent("data").path
        let conductor = try await Conductor.open(directory: data, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { conductor.close() }
        try conductor.start()
        let node = UUID(), other = UUID()
        let alice = EventMetadata(actor: "alice", project: "ops", requestID: "req-enroll")
        try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware", "name": "rack1-04"]), node: node, metadata: alice)
        try await conductor.commands.handle(.enroll(uuid: other, fields: ["driver": "fake-hardware", "name": "rack1-05"]), node: other,
                                            metadata: EventMetadata(actor: "bob", requestID: "req-other"))
        try await conductor.commands.handle(.requestPower(target: .off, timeout: nil), node: node,
                                            metadata: EventMetadata(actor: "alice", project: "ops", requestID: "req-power"))
        try await conductor.settle()
        return (directory, node)
    }

    /// Runs `ironlog history --data … arguments`; its status, standard output and error.
    private static func history(_ directory: URL, _ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
        let out = directory.appendingPathComponent("out-\(UUID().uuidString)").path, err = directory.appendingPathComponent("err-\(UUID().uuidString)").path
        let ended = try await ChildProcess(IronlogBinary.url().path, ["history", "--data", directory.appendingPathComponent("data").path] + arguments,
                                           standardOutput: .file(out), standardError: .file(err)).wait()
        return (ended.status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    private static func documents(_ jsonl: String) throws -> [[String: Any]] {
        try jsonl.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test("filters by node name, actor, project, request, type and position; JSON lines carry the metadata")
    func filters() async throws {
        let (directory, node) = try await Self.dataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let byName = try Self.documents(try await Self.history(directory, ["--node", "rack1-04", "--format", "jsonl"]).output)
        #expect(byName.map { $0["type"] as? String } == ["NodeEnrolled", "PowerActionRequested", "PowerStateChanged"])
        #expect(Set(byName.map { $0["stream"] as? String }) == ["node/\(node.uuidString.lowercased())"])
        let byUUID = try Self.documents(try await Self.history(directory, ["--node", node.uuidString, "--format", "jsonl"]).output)
        #expect(byUUID.count == byName.count)

        let bob = try Self.documents(try await Self.history(directory, ["--actor", "bob", "--format", "jsonl"]).output)
        #expect(bob.count == 1 && bob[0]["request_id"] as? String == "req-other")
        let power = try Self.documents(try await Self.history(directory, ["--request-id", "req-power", "--format", "jsonl"]).output)
        #expect(power.map { $0["type"] as? String } == ["PowerActionRequested"])
        #expect(power.first?["project"] as? String == "ops")
        let ops = try Self.documents(try await Self.history(directory, ["--project", "ops", "--format", "jsonl"]).output)
        #expect(ops.count == 2)
        let changes = try Self.documents(try await Self.history(directory, ["--type", "PowerStateChanged", "--format", "jsonl"]).output)
        #expect(changes.count == 1 && changes[0]["actor"] as? String == "conductor")
        let window = try Self.documents(try await Self.history(directory, ["--from", "2", "--to", "3", "--format", "jsonl"]).output)
        #expect(window.map { $0["position"] as? Int } == [2, 3])
        let first = try Self.documents(try await Self.history(directory, ["--limit", "1", "--format", "jsonl"]).output)
        #expect(first.map { $0["position"] as? Int } == [1])
        let future = try await Self.history(directory, ["--since", "2999-01-01", "--format", "jsonl"])
        #expect(future.status == 0 && future.output.isEmpty)
    }

    @Test("--why follows a power change back to the request that caused it, the request first")
    func why() async throws {
        let (directory, _) = try await Self.dataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let changed = try Self.documents(try await Self.history(directory, ["--type", "PowerStateChanged", "--format", "jsonl"]).output)
        let event = try #require(changed.first?["event_id"] as? String)
        let chain = try Self.documents(try await Self.history(directory, ["--why", event, "--format", "jsonl"]).output)
        #expect(chain.map { $0["type"] as? String } == ["PowerActionRequested", "PowerStateChanged"])
        #expect(chain.first?["request_id"] as? String == "req-power" && chain.first?["actor"] as? String == "alice")
        #expect(chain.last?["causation_id"] as? String == chain.first?["event_id"] as? String)
        let position = try #require(changed.first?["position"] as? Int)
        let byPosition = try Self.documents(try await Self.history(directory, ["--why", String(position), "--format", "jsonl"]).output)
        #expect(byPosition.count == 2)
    }

    @Test("table and CSV: a header, then one line per event")
    func formats() async throws {
        let (directory, _) = try await Self.dataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let table = try await Self.history(directory, ["--node", "rack1-04"]).output.split(separator: "\n")
        #expect(table.count == 4)
        #expect(table.first?.hasPrefix("POSITION") == true && table[1].contains("NodeEnrolled") && table[1].contains("alice"))
        let csv = try await Self.history(directory, ["--actor", "alice", "--format", "csv"]).output.split(separator: "\n")
        #expect(csv.first == "position,recorded_at,stream,type,actor,project,request_id,event_id,causation_id,payload")
        #expect(csv.count == 3)
        #expect(csv[1].hasPrefix("1,") && csv[1].contains(",alice,ops,req-enroll,"))
        #expect(csv[2].hasPrefix("3,") && csv[2].contains(",alice,ops,req-power,"))
    }

    @Test("an unknown node, an unknown event, a missing directory and contradictory options are refused with what to do")
    func refusals() async throws {
        let (directory, _) = try await Self.dataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let unknown = try await Self.history(directory, ["--node", "nope"])
        #expect(unknown.status == 1 && unknown.error.contains("No node is named nope"))
        let event = try await Self.history(directory, ["--why", "999"])
        #expect(event.status == 1 && event.error.contains("No event 999"))
        let range = try await Self.history(directory, ["--from", "5", "--to", "2"])
        #expect(range.status != 0 && range.error.contains("--from 5 is after --to 2"))
        let both = try await Self.history(directory, ["--why", "2", "--actor", "alice"])
        #expect(both.status != 0 && both.error.contains("--why"))
        let time = try await Self.history(directory, ["--since", "yesterday"])
        #expect(time.status != 0 && time.error.contains("--since"))
        let missing = try await ChildProcess(IronlogBinary.url().path, ["history", "--data", directory.appendingPathComponent("absent").path]).wait()
        #expect(missing == .exit(1))
    }
}
