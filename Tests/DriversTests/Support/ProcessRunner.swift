import Engine
import EventStore
import Foundation

/// What a helper process printed and how it ended.
struct ProcessOutcome: Sendable {
    /// The exit status (128 plus the signal if one killed it).
    let status: Int32
    let standardOutput: String
    let standardError: String
}

/// Runs `executable` (looked up on `PATH` unless it holds a `/`) with `arguments` to the end —
/// the tests' own helpers: the emulator scripts, and `ipmitool` or Python used as independent
/// witnesses.
func runProcess(_ executable: String, _ arguments: [String]) async throws -> ProcessOutcome {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path, err = directory.appendingPathComponent("err").path
    let status = try await ChildProcess(executable, arguments, standardOutput: .file(out), standardError: .file(err)).wait().status
    return ProcessOutcome(status: status, standardOutput: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                          standardError: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}
