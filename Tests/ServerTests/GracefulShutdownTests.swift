import Drivers
import Engine
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

@testable import Server

@Suite("Graceful shutdown: the API drains, the engine stops at a step boundary, the store closes")
struct GracefulShutdownTests {
    /// Sends requests to the live server on `port` once it answers `GET /` (polled, at most 200 times).
    private func whenServing<T: Sendable>(port: Int, _ body: @escaping @Sendable (TestClient) async throws -> T) async throws -> T {
        var answered = false
        for _ in 0..<200 where !answered {
            do {
                _ = try await TestClient.withClient(host: "127.0.0.1", port: port) { try await $0.get("/") }
                answered = true
            } catch {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try #require(answered, "the server did not start listening on \(port)")
        return try await TestClient.withClient(host: "127.0.0.1", port: port, operation: body)
    }

    @Test("a running server with a deploy in flight stops cleanly at a step boundary; the store reopens, verifies, and the deploy resumes")
    func stopsCleanly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-shutdown-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var engine = EngineConfiguration()
        engine.host = "test-conductor"
        let conductor = try await Conductor.open(directory: directory, configuration: engine, logger: quietLogger)
        try conductor.start()

        let port = try LoopbackPort.free()
        let group = serverServiceGroup(conductor: conductor, configuration: ServerConfiguration(host: "127.0.0.1", port: port),
                                       logger: quietLogger, gracefulShutdownSignals: [])
        let running = Task { try await group.run() }

        // A node whose every fake action takes a moment, taken to `available`, then asked to
        // deploy: the deploy's steps are running when the shutdown comes.
        let node = try await whenServing(port: port) { client -> String in
            var fields: HTTPFields = [.contentType: "application/json"]
            fields[VersionNegotiation.legacyHeader] = "1.11"
            let created = try await client.post("/v1/nodes", headers: fields,
                                                body: ByteBuffer(string: #"{"driver": "fake-hardware", "driver_info": {"fake_delay": 0.05}}"#))
            #expect(created.status == .created)
            let createdBody = try #require(created.body)
            let uuid = try #require(jsonObject(createdBody)?["uuid"] as? String)
            for target in ["manage", "provide", "active"] {
                let moved = try await client.put("/v1/nodes/\(uuid)/states/provision", headers: fields,
                                                 body: ByteBuffer(string: #"{"target": "\#(target)"}"#))
                #expect(moved.status == .accepted, "\(target)")
                if target != "active" { try await conductor.settle() }
            }
            return uuid
        }
        let id = try #require(UUID(uuidString: node))
        #expect(try conductor.commands.aggregate(id)?.node.provisionState == .deploying)

        await group.triggerGracefulShutdown()
        try await running.value

        // Reopened (the writer lock was given up): the log verifies, and no step was cut in half.
        let reopened = try await Conductor.open(directory: directory, configuration: engine, logger: quietLogger)
        defer { reopened.close() }
        let report = try reopened.store.verify()
        #expect(report.firstProblem == nil, "\(report)")
        let history = try reopened.store.events(ofStream: "node/\(node)").map(\.type)
        #expect(history.filter { $0 == "StepStarted" }.count == history.filter { $0 == "StepFinished" }.count, "\(history)")
        let stoppedIn = try #require(try reopened.commands.aggregate(id)?.node.provisionState)
        #expect(stoppedIn == .deploying || stoppedIn == .active)

        // Started again, the deploy resumes where it stopped and finishes.
        try reopened.start()
        try await reopened.settle()
        let node2 = try #require(try reopened.commands.aggregate(id)?.node)
        #expect(node2.provisionState == .active, "\(node2.lastError ?? "")")
        let started = try reopened.store.events(ofStream: "node/\(node)").filter { $0.type == "StepStarted" }
            .map { String(decoding: $0.payload, as: UTF8.self) }
        #expect(Set(started).count == started.count, "no step ran twice: \(started)")
    }
}
