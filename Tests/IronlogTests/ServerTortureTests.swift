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

/// `ironlog serve` under concurrent API load, killed with SIGKILL again and again on the same data
/// directory: after every restart each acknowledged request is still there, in the log and
/// through the API, the log verifies, and no node is left stuck.
@Suite("Torture: ironlog serve killed under API load", .serialized)
struct ServerTortureTests {
    static let kills = 21
    static let workers = 4
    static let seed: UInt64 = 20_261_126

    @Test("21 SIGKILLs under mixed API load: acknowledged requests keep their events and answers, the log verifies, no node is stuck",
          .timeLimit(.minutes(10)))
    func killedUnderLoad() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-torture-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data").path
        var rng = SplitMix64(seed: Self.seed)
        let load = APILoad(workers: Self.workers, seed: Self.seed)
        var killed = 0, resumed = 0

        for round in 0...Self.kills {
            let port = try LoopbackPort.free()
            let server = try IronlogProcess(["serve", "--data", data, "--host", "127.0.0.1", "--port", "\(port)"])
            defer { server.killIfRunning() }
            let api = IronlogAPI(port: port)
            try await api.waitUntilServing(server)
            if round > 0 {
                resumed += server.standardError.components(separatedBy: "Resuming node ").count - 1
                try await Self.check(api, load, data: data, directory: directory, after: "kill \(round)")
            }
            if round == Self.kills {
                // The last start is stopped gracefully.
                server.send(SIGTERM)
                #expect(try await server.waitForExit(seconds: 60) == .exit(0), "stderr:\n\(server.standardError)")
                break
            }
            // The moment of the kill: after a seeded number of further acknowledged requests.
            let target = load.journal.count + Int.random(in: 10...70, using: &rng)
            let stop = StopFlag()
            let running = Task { await load.run(api, until: stop) }
            let deadline = Date().addingTimeInterval(120)
            while load.journal.count < target, server.isRunning, Date() < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(server.isRunning, "the server died on its own in round \(round); stderr:\n\(server.standardError)")
            #expect(load.journal.count >= target, "round \(round): only \(load.journal.count) of \(target) acknowledgements within 120 s")
            if round % 2 == 1 {
                // Every other kill comes right after a provision request is acknowledged, so that
                // it lands while the node's operation runs.
                let seen = load.journal.count
                while server.isRunning, Date() < deadline,
                    !load.journal.acknowledgements[seen...].contains(where: { $0.path.hasSuffix("/states/provision") }) {
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            server.send(SIGKILL)
            let ended = try await server.waitForExit(seconds: 30)
            stop.raise()
            await running.value
            #expect(ended == .signal(SIGKILL))
            if ended == .signal(SIGKILL) { killed += 1 }
        }
        #expect(killed == Self.kills)
        #expect(resumed > 0, "no kill landed while a node's operation ran: no restart resumed a node")
        let acknowledgements = load.journal.acknowledgements
        #expect(acknowledgements.count >= Self.kills * 10)
        // The load really was mixed: every kind of request was acknowledged at least once.
        let kinds = Set(acknowledgements.map { "\($0.method) \($0.resource)" })
        for kind in ["POST node", "PATCH node", "PUT node", "POST port", "POST connector", "POST target"] {
            #expect(kinds.contains(kind), "no \(kind) was acknowledged (acknowledged: \(kinds.sorted()); refused: \(load.refusals.mapValues(\.count)))")
        }
        #expect(acknowledgements.contains { $0.path.hasSuffix("/states/provision") })
        #expect(acknowledgements.contains { $0.path.hasSuffix("/states/power") })
        #expect(acknowledgements.contains { $0.method == "DELETE" })

        // The same events through the audit command line, for a seeded sample of requests.
        for _ in 0..<6 where !acknowledgements.isEmpty {
            let acknowledgement = acknowledgements[Int.random(in: 0..<acknowledgements.count, using: &rng)]
            let history = try await runIronlog(["history", "--data", data, "--request-id", acknowledgement.requestID, "--format", "jsonl"], in: directory)
            #expect(history.termination == .exit(0), "\(history.output)")
            let lines = history.output.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(!lines.isEmpty, "ironlog history shows no event for \(acknowledgement.method) \(acknowledgement.path) \(acknowledgement.requestID)")
            for line in lines {
                let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(event?["request_id"] as? String == acknowledgement.requestID)
            }
        }
    }

    /// Everything a restart must keep, checked through a fresh server on the same directory.
    static func check(_ api: IronlogAPI, _ load: APILoad, data: String, directory: URL, after label: String) async throws {
        // (a) Every acknowledged request's events are in the log, found by its request id.
        let acknowledgements = load.journal.acknowledgements
        let (ids, head) = try api.eventRequestIDs()
        let missing = acknowledgements.filter { !ids.contains($0.requestID) }
        #expect(missing.isEmpty, "\(label): \(missing.count) acknowledged requests have no event in the log (head \(head)): \(missing.prefix(5).map { "\($0.method) \($0.path) \($0.requestID)" })")
        #expect(acknowledgements.allSatisfy { $0.requestID.hasPrefix("req-") })

        // (b) The whole log and every projection verify, on the live directory.
        let verified = try await runIronlog(["verify", "--deep", "--data", data], in: directory)
        #expect(verified.termination == .exit(0), "\(label): ironlog verify --deep failed:\n\(verified.output)")

        // (c) No node is stuck: once the restart's recovery has run, every node rests or failed
        // with a reason. (The deadline only guards against a hang.)
        let deadline = Date().addingTimeInterval(60)
        var nodes = try api.list(LoadResource.node.detailList.path, key: "nodes")
        while !APILoad.unsettled(nodes, powered: load.powered).isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            nodes = try api.list(LoadResource.node.detailList.path, key: "nodes")
        }
        let stuck = APILoad.unsettled(nodes, powered: load.powered)
        #expect(stuck.isEmpty, "\(label): nodes still not settled after 60 s: \(stuck)")
        let mismatched = load.provisionMismatches(nodes)
        #expect(mismatched.isEmpty, "\(label): \(mismatched)")

        // (d) The API answers as it did for everything acknowledged. Resources a request without
        // an answer touched are read back first: that request may or may not have happened.
        try load.resolveUncertain(api)
        let (differences, compared) = try load.differences(api)
        #expect(differences.isEmpty, "\(label): \(differences.count) differences, first: \(differences.prefix(10))")
        #expect(compared > 0, "\(label): nothing acknowledged to compare")
    }
}
