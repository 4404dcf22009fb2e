import Engine
import EventStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The disaster-recovery claim end to end, through real processes and the REST API: back up a
/// server under load, lose its data directory, restore on a fresh one, and find every node, port,
/// volume connector and volume target as it stood at the backup's head.
@Suite("Disaster recovery: backup under load, lose the data, restore, compare through the API", .serialized)
struct DisasterRecoveryTests {
    static let seed: UInt64 = 20_261_127

    @Test("hot backups under load and after it restore, on a fresh directory, every node, port, connector and target as of their heads",
          .timeLimit(.minutes(10)))
    func restoreAfterLoss() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-disaster-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data").path
        let underLoad = directory.appendingPathComponent("backup-under-load").path
        let quiesced = directory.appendingPathComponent("backup-quiesced").path
        let load = APILoad(workers: 4, seed: Self.seed)

        let port = try LoopbackPort.free()
        let server = try IronlogProcess(["serve", "--data", data, "--host", "127.0.0.1", "--port", "\(port)"])
        defer { server.killIfRunning() }
        let api = IronlogAPI(port: port)
        try await api.waitUntilServing(server)

        // Load, and a hot backup in the middle of it.
        let stop = StopFlag()
        let running = Task { await load.run(api, until: stop) }
        try await Self.waitFor(acknowledgements: 150, load, server)
        let backedUp = try await runIronlog(["backup", "--data", data, underLoad], in: directory)
        let acknowledgedDuringBackup = load.journal.count
        try await Self.waitFor(acknowledgements: acknowledgedDuringBackup + 60, load, server)
        stop.raise()
        await running.value
        try #require(backedUp.termination == .exit(0), "\(backedUp.output)")
        let underLoadHead = try BackupManifest.read(from: underLoad).headPosition
        #expect(try api.logHead() > underLoadHead, "the load went on after the backup's snapshot")

        // What the API said at the first backup's head: the nodes as of it (folded from the log),
        // and the ports and volumes that the acknowledged requests up to it made.
        let nodesAtHead = try Self.byUUID(api.list("/v1/nodes/detail?limit=1000&as_of=\(underLoadHead)", key: "nodes"))
        #expect(!nodesAtHead.isEmpty)
        let positions = try api.eventPositionsByRequestID()
        let acknowledgements = load.journal.acknowledgements
        #expect(acknowledgements.allSatisfy { positions[$0.requestID] != nil }, "every acknowledged request is in the log")
        let othersAtHead = Self.stateAt(underLoadHead, acknowledgements, positions)

        // The load has stopped: let the fleet settle, record everything, then back up; the head
        // must not have moved between the record and the backup's snapshot, so the record is the
        // state at the second backup's head.
        let deadline = Date().addingTimeInterval(60)
        while try !APILoad.unsettled(api.list(LoadResource.node.detailList.path, key: "nodes"), powered: load.powered).isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        var recorded: [LoadResource: [String: [String: Any]]] = [:]
        var quiescedHead: UInt64 = 0
        for attempt in 1...10 {
            try? FileManager.default.removeItem(atPath: quiesced)
            let before = try api.logHead()
            for resource in LoadResource.allCases {
                recorded[resource] = try Self.byUUID(api.list(resource.detailList.path, key: resource.detailList.key))
            }
            let backup = try await runIronlog(["backup", "--data", data, quiesced], in: directory)
            try #require(backup.termination == .exit(0), "\(backup.output)")
            quiescedHead = try BackupManifest.read(from: quiesced).headPosition
            if quiescedHead == before, try api.logHead() == before { break }
            #expect(attempt < 10, "the log kept moving after the load stopped")
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(quiescedHead > underLoadHead)
        for resource in LoadResource.allCases {
            #expect(!(recorded[resource] ?? [:]).isEmpty, "the load left some \(resource)s to compare")
        }

        // The disaster: the server dies and its data directory is gone.
        server.send(SIGKILL)
        _ = try await server.waitForExit(seconds: 30)
        try FileManager.default.removeItem(atPath: data)
        #expect(!FileManager.default.fileExists(atPath: data))

        // The quiesced backup, restored on a fresh directory: every resource, every field.
        try await Self.restoreAndServe(quiesced, into: directory.appendingPathComponent("restored-quiesced").path, directory) { restored in
            for resource in LoadResource.allCases {
                let now = try Self.byUUID(restored.list(resource.detailList.path, key: resource.detailList.key))
                let before = recorded[resource] ?? [:]
                #expect(Set(now.keys) == Set(before.keys), "\(resource)s: restored \(now.count), recorded \(before.count)")
                for (uuid, fields) in before {
                    guard let restoredFields = now[uuid] else { continue }
                    for (name, value) in fields where Self.text(restoredFields[name]) != Self.text(value) {
                        Issue.record("\(resource) \(uuid): \(name) restored as \(Self.text(restoredFields[name])), recorded \(Self.text(value))")
                    }
                    #expect(Set(restoredFields.keys) == Set(fields.keys), "\(resource) \(uuid): the same fields")
                }
            }
        }

        // The backup taken under load, restored: the nodes as of its head, and the ports and volumes
        // the acknowledged requests up to its head made.
        try await Self.restoreAndServe(underLoad, into: directory.appendingPathComponent("restored-under-load").path, directory) { restored in
            #expect(try restored.logHead() >= underLoadHead)
            let nodes = try Self.byUUID(restored.list(LoadResource.node.detailList.path, key: "nodes"))
            #expect(Set(nodes.keys) == Set(nodesAtHead.keys), "nodes: restored \(nodes.count), at the head \(nodesAtHead.count)")
            for (uuid, atHead) in nodesAtHead {
                guard let node = nodes[uuid] else { continue }
                // A node caught mid-operation at the head is put back to work when the restored
                // server starts, so only what no operation changes is compared for it; a node at
                // rest then must be exactly as it was.
                let atRest = APILoad.unsettled([atHead]).isEmpty && APILoad.restingStates.contains(atHead["provision_state"] as? String ?? "")
                let names = LoadResource.node.settledFields + ["created_at"]
                    + (atRest ? ["maintenance", "instance_info", "instance_uuid", "provision_state", "power_state", "last_error", "fault"] : [])
                for name in names where Self.text(node[name]) != Self.text(atHead[name]) {
                    Issue.record("node \(uuid): \(name) restored as \(Self.text(node[name])), at the head \(Self.text(atHead[name])) (\(atHead["provision_state"] ?? "?") then)")
                }
            }
            for resource in [LoadResource.port, .connector, .target] {
                let now = try Self.byUUID(restored.list(resource.detailList.path, key: resource.detailList.key))
                let expected = othersAtHead.filter { $0.value.resource == resource }
                #expect(Set(now.keys) == Set(expected.keys), "\(resource)s: restored \(now.count), at the head \(expected.count)")
                for (uuid, fields) in expected {
                    guard let item = now[uuid] else { continue }
                    for (name, value) in fields.fields where Self.text(item[name]) != value.replacingOccurrences(of: #"127\.0\.0\.1:[0-9]+"#, with: "127.0.0.1:PORT", options: .regularExpression) {
                        Issue.record("\(resource) \(uuid): \(name) restored as \(CanonicalJSON.text(item[name])), acknowledged \(value)")
                    }
                }
            }
        }
    }

    /// Waits (with a generous guard) until the load has `count` acknowledgements.
    static func waitFor(acknowledgements count: Int, _ load: APILoad, _ server: IronlogProcess) async throws {
        let deadline = Date().addingTimeInterval(120)
        while load.journal.count < count, server.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(load.journal.count >= count, "only \(load.journal.count) of \(count) acknowledgements; stderr:\n\(server.standardError)")
    }

    /// A field as canonical JSON, with the server's loopback port taken out of its links (each
    /// server listens on a port of its own).
    static func text(_ value: Any?) -> String {
        CanonicalJSON.text(value).replacingOccurrences(of: #"127\.0\.0\.1:[0-9]+"#, with: "127.0.0.1:PORT", options: .regularExpression)
    }

    /// Items by their `uuid`.
    static func byUUID(_ items: [[String: Any]]) -> [String: [String: Any]] {
        Dictionary(items.compactMap { item in (item["uuid"] as? String).map { ($0, item) } }, uniquingKeysWith: { first, _ in first })
    }

    /// The ports, connectors and targets as the acknowledged requests whose events are at or
    /// before `head` left them: the last such answer for each, or nothing after its delete.
    static func stateAt(_ head: UInt64, _ acknowledgements: [Acknowledgement], _ positions: [String: UInt64]) -> [String: Expectation] {
        var state: [String: Expectation] = [:]
        let ordered = acknowledgements.compactMap { ack in positions[ack.requestID].map { ($0, ack) } }.filter { $0.0 <= head }.sorted { $0.0 < $1.0 }
        for (_, ack) in ordered where ack.resource != .node {
            if ack.method == "DELETE" {
                state[ack.uuid] = nil
            } else {
                var fields: [String: String] = [:]
                for name in ack.resource.settledFields { fields[name] = ack.answer[name] ?? "null" }
                state[ack.uuid] = Expectation(resource: ack.resource, uuid: ack.uuid, node: ack.answer["node_uuid"] ?? "", exists: true, fields: fields)
            }
        }
        return state
    }

    /// `ironlog restore backup --data target`, `verify --deep`, then a server on it for `body`.
    static func restoreAndServe(_ backup: String, into target: String, _ directory: URL,
                                _ body: (IronlogAPI) async throws -> Void) async throws {
        let restored = try await runIronlog(["restore", backup, "--data", target], in: directory)
        try #require(restored.termination == .exit(0), "\(restored.output)")
        let verified = try await runIronlog(["verify", "--deep", "--data", target], in: directory)
        #expect(verified.termination == .exit(0), "\(verified.output)")
        let port = try LoopbackPort.free()
        let server = try IronlogProcess(["serve", "--data", target, "--host", "127.0.0.1", "--port", "\(port)"])
        defer { server.killIfRunning() }
        let api = IronlogAPI(port: port)
        try await api.waitUntilServing(server)
        try await body(api)
        server.send(SIGTERM)
        #expect(try await server.waitForExit(seconds: 60) == .exit(0), "stderr:\n\(server.standardError)")
    }
}
