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

        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [Self.root.appendingPathComponent("tools/clients/lifecycle.sh").path, "http://127.0.0.1:\(port)"]
        let output = directory.appendingPathComponent("client.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        script.standardOutput = handle
        script.standardError = handle
        try script.run()
        while script.isRunning { try await Task.sleep(for: .milliseconds(200)) }
        try handle.close()
        let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(script.terminationStatus == 0, "lifecycle.sh failed:\n\(log)\nserver stderr:\n\(server.standardError)")
        #expect(log.contains("every step passed"))

        server.send(SIGTERM)
        let termination = try await server.waitForExit(seconds: 30)
        #expect(termination == .exit(0))
    }
}
