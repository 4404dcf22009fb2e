import Engine
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `ironlog serve` as an operator runs it: a real process, a real TCP port, real signals.
@Suite("ironlog serve lifecycle", .serialized)
struct ServeLifecycleTests {
    /// A fresh temporary directory, removed when `body` returns.
    private func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ironlog-serve-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    /// Polls `GET /` until the server answers, the process dies, or 30 seconds pass.
    private func waitUntilServing(_ server: IronlogProcess, port: Int) async throws -> RawHTTP.Response {
        let deadline = Date().addingTimeInterval(30)
        var lastError: (any Error)?
        while Date() < deadline {
            guard server.isRunning else {
                Issue.record("ironlog serve exited before answering; stderr:\n\(server.standardError)")
                throw CancellationError()
            }
            do {
                return try RawHTTP.get("/", port: port)
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        Issue.record("ironlog serve did not answer GET / within 30 s (last error: \(lastError.map { "\($0)" } ?? "none")); stderr:\n\(server.standardError)")
        throw CancellationError()
    }

    @Test("a shutdown signal ends an open event stream that is waiting for events, and the server exits 0",
          .timeLimit(.minutes(2)))
    func shutdownEndsEventStreams() async throws {
        try await withTemporaryDirectory { directory in
            let data = directory.appendingPathComponent("data", isDirectory: true)
            let port = try LoopbackPort.free()
            let server = try IronlogProcess(["serve", "--data", data.path, "--host", "127.0.0.1", "--port", "\(port)"])
            defer { server.killIfRunning() }
            _ = try await waitUntilServing(server, port: port)
            // A filter no event matches: the response waits for ever.
            let stream = try RawHTTP.open("/v1/events/stream?stream=none", port: port)
            defer { close(stream) }
            try await Task.sleep(for: .milliseconds(300))
            server.send(SIGTERM)
            let termination = try await server.waitForExit(seconds: 15)
            #expect(termination == .exit(0), "ironlog serve did not exit within 15 s of SIGTERM with an event stream open; stderr:\n\(server.standardError)")
        }
    }

    @Test(
        "serves the root document, then exits 0 on a shutdown signal",
        arguments: [SIGTERM, SIGINT]
    )
    func servesAndShutsDown(signal: Int32) async throws {
        try await withTemporaryDirectory { directory in
            let data = directory.appendingPathComponent("data", isDirectory: true)
            let port = try LoopbackPort.free()
            let server = try IronlogProcess(["serve", "--data", data.path, "--host", "127.0.0.1", "--port", "\(port)"])
            defer { server.killIfRunning() }

            let response = try await waitUntilServing(server, port: port)
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
            let requestID = try #require(response.headers["openstack-request-id"])
            #expect(requestID.hasPrefix("req-") && UUID(uuidString: String(requestID.dropFirst(4))) != nil)

            let root = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            #expect(root["name"] as? String == "OpenStack Ironic API")
            let defaultVersion = try #require(root["default_version"] as? [String: Any])
            #expect(defaultVersion["id"] as? String == "v1")
            #expect(defaultVersion["status"] as? String == "CURRENT")
            let links = try #require(defaultVersion["links"] as? [[String: Any]])
            #expect(links.first?["href"] as? String == "http://127.0.0.1:\(port)/v1/")
            #expect(links.first?["rel"] as? String == "self")
            #expect((root["versions"] as? [Any])?.count == 1)
            let ironlog = try #require(root["ironlog"] as? [String: Any])
            #expect(ironlog["version"] is String)
            #expect((ironlog["log_head"] as? NSNumber)?.intValue == 0)

            let missing = try RawHTTP.get("/no/such/path", port: port)
            #expect(missing.status == 404)
            let errorBody = try #require(try JSONSerialization.jsonObject(with: missing.body) as? [String: Any])
            let message = try #require(errorBody["error_message"] as? String)
            let fault = try #require(try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any])
            #expect(fault["faultcode"] as? String == "Client")

            server.send(signal)
            let termination = try await server.waitForExit(seconds: 30)
            #expect(termination == .exit(0), "stderr:\n\(server.standardError)")

            let log = server.standardError
            #expect(log.contains("127.0.0.1:\(port)"), "the start-up line names the listen address; stderr:\n\(log)")
            #expect(log.contains("Shut down cleanly"), "stderr:\n\(log)")
            #expect(FileManager.default.fileExists(atPath: data.path), "the data directory was created")
        }
    }

    @Test("refuses a data directory that is a regular file, exiting non-zero with a clear message")
    func dataDirectoryIsAFile() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("not-a-directory")
            try Data("hello".utf8).write(to: file)
            let port = try LoopbackPort.free()
            let server = try IronlogProcess(["serve", "--data", file.path, "--port", "\(port)"])
            defer { server.killIfRunning() }

            let termination = try #require(try await server.waitForExit(seconds: 30), "ironlog serve kept running")
            let stderr = server.standardError
            #expect(termination == .exit(1), "stderr:\n\(stderr)")
            #expect(stderr.contains(file.path), "the message names the path; stderr:\n\(stderr)")
            #expect(stderr.contains("not a directory"), "the message names the problem; stderr:\n\(stderr)")
        }
    }

    @Test("refuses to start with a bad htpasswd file, naming the file and the line")
    func badHTPasswd() async throws {
        try await withTemporaryDirectory { directory in
            let htpasswd = directory.appendingPathComponent("htpasswd")
            try Data("# users\nadmin:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n".utf8).write(to: htpasswd)
            let port = try LoopbackPort.free()
            let server = try IronlogProcess(["serve", "--data", directory.appendingPathComponent("data").path, "--port", "\(port)",
                                             "--htpasswd", htpasswd.path])
            defer { server.killIfRunning() }

            let termination = try #require(try await server.waitForExit(seconds: 30), "ironlog serve kept running")
            let stderr = server.standardError
            #expect(termination == .exit(1), "stderr:\n\(stderr)")
            #expect(stderr.contains("\(htpasswd.path) line 2"), "the message names the file and line; stderr:\n\(stderr)")
            #expect(stderr.contains("bcrypt"), "stderr:\n\(stderr)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path),
                    "refused before opening the data directory")
        }
    }

    @Test("exits non-zero with a clear message when the port is already taken")
    func portInUse() async throws {
        try await withTemporaryDirectory { directory in
            let port = try LoopbackPort.free()
            let first = try IronlogProcess(["serve", "--data", directory.appendingPathComponent("a").path, "--port", "\(port)"])
            defer { first.killIfRunning() }
            _ = try await waitUntilServing(first, port: port)

            let second = try IronlogProcess(["serve", "--data", directory.appendingPathComponent("b").path, "--port", "\(port)"])
            defer { second.killIfRunning() }
            let termination = try #require(try await second.waitForExit(seconds: 30), "the second server kept running")
            #expect(termination == .exit(1), "stderr:\n\(second.standardError)")
            #expect(second.standardError.contains("ironlog serve: error:"), "stderr:\n\(second.standardError)")

            first.send(SIGTERM)
            #expect(try await first.waitForExit(seconds: 30) == .exit(0), "stderr:\n\(first.standardError)")
        }
    }
}
