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

/// What the client-script tests share: an `ironlog serve` on a free loopback port over a data
/// directory in a temporary directory of their own, a script of `tools/clients` run against it
/// with its output in a log, and the end — the server stopped with SIGTERM, the directory removed.
struct ClientScriptRun {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Whether `python3` is on the PATH (the scripts' virtualenv is made with it).
    static var hasPython: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/python3")
        }
    }

    /// The temporary directory (the server's data is in `data` inside it).
    let directory: URL
    /// The server's port on 127.0.0.1.
    let port: Int
    /// The server.
    let server: IronlogProcess

    /// The server's endpoint, `http://127.0.0.1:PORT`.
    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Runs `body` with a started server, then stops it and expects a clean exit; the directory
    /// goes, and the server is killed if still running, whatever happens.
    static func withServer(_ body: (ClientScriptRun) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-clients-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try LoopbackPort.free()
        let server = try IronlogProcess(["serve", "--data", directory.appendingPathComponent("data").path, "--host", "127.0.0.1", "--port", "\(port)"])
        defer { server.killIfRunning() }
        try await waitUntilAnswering(port: port, while: { server.isRunning }, what: "ironlog serve", log: { server.standardError })

        try await body(ClientScriptRun(directory: directory, port: port, server: server))

        server.send(SIGTERM)
        let termination = try await server.waitForExit(seconds: 30)
        #expect(termination == .exit(0))
    }

    /// Waits up to 30 s for `GET /` on `port` to answer while `running` holds; throws otherwise.
    static func waitUntilAnswering(port: Int, while running: () -> Bool, what: String, log: () -> String) async throws {
        let deadline = Date().addingTimeInterval(30)
        while (try? RawHTTP.get("/", port: port)) == nil {
            guard running(), Date() < deadline else {
                Issue.record("\(what) did not start; stderr:\n\(log())")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Runs `tools/clients/<script>` with `arguments` under bash; expects exit 0 and `success` in
    /// its output, which otherwise goes into the failure with the server's stderr.
    func script(_ script: String, _ arguments: [String], success: String) async throws {
        let output = directory.appendingPathComponent("\(script).log").path
        let child = try ChildProcess("/bin/bash", [Self.root.appendingPathComponent("tools/clients/\(script)").path] + arguments,
                                     standardOutput: .file(output), standardError: .file(output))
        let ended = await child.wait()
        let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(ended == .exit(0), "\(script) failed:\n\(log)\nserver stderr:\n\(server.standardError)")
        #expect(log.contains(success), "\(script) did not report \"\(success)\":\n\(log)")
    }
}
