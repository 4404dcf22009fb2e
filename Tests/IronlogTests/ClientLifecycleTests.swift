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

/// OpenStack's own clients against `ironlog serve`: `tools/clients/lifecycle.sh` drives a node's
/// whole life with python-ironicclient's `baremetal` command and asserts every result.
///
/// Needs `python3`; the first run creates the clients' virtualenv with pip (network), later runs
/// reuse it from `~/.cache/ironlog/clients-venv`.
@Suite("OpenStack clients against ironlog serve", .serialized)
struct ClientLifecycleTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether `python3` is on the PATH.
    static var hasPython: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/python3")
        }
    }

    @Test("baremetal: create, port, manage, provide, deploy, power, maintenance, boot device, traits, undeploy, delete",
          .enabled(if: hasPython), .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-clients-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try LoopbackPort.free()
        let server = try IronlogProcess(["serve", "--data", directory.appendingPathComponent("data").path, "--host", "127.0.0.1", "--port", "\(port)"])
        defer { server.killIfRunning() }
        let deadline = Date().addingTimeInterval(30)
        while (try? RawHTTP.get("/", port: port)) == nil {
            guard server.isRunning, Date() < deadline else {
                Issue.record("ironlog serve did not start; stderr:\n\(server.standardError)")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }

        let output = directory.appendingPathComponent("client.log").path
        let script = try ChildProcess("/bin/bash", [Self.root.appendingPathComponent("tools/clients/lifecycle.sh").path, "http://127.0.0.1:\(port)"],
                                      standardOutput: .file(output), standardError: .file(output))
        let ended = await script.wait()
        let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(ended == .exit(0), "lifecycle.sh failed:\n\(log)\nserver stderr:\n\(server.standardError)")
        #expect(log.contains("every step passed"))

        server.send(SIGTERM)
        let termination = try await server.waitForExit(seconds: 30)
        #expect(termination == .exit(0))
    }
}
