import EventStore
import Foundation

/// An `ironlog` child process whose stderr goes to a file, so it can be read at any time without
/// a pipe ever filling up and blocking the child.
final class IronlogProcess {
    /// The command line after `ironlog`.
    let arguments: [String]
    private let process: ChildProcess
    private let stderrPath: String

    /// Starts `ironlog arguments…`.
    init(_ arguments: [String]) throws {
        self.arguments = arguments
        stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-stderr-\(UUID().uuidString).log").path
        process = try ChildProcess(IronlogBinary.url().path, arguments, standardError: .file(stderrPath))
    }

    deinit {
        process.send(SIGKILL)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    /// The process id.
    var pid: Int32 { process.pid }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// Everything it has written to stderr so far.
    var standardError: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        process.send(signal)
    }

    /// Waits up to `seconds` for the process to end; nil if it is still running then.
    func waitForExit(seconds: Double) async throws -> ChildProcess.Termination? {
        try await process.wait(timeout: .milliseconds(Int(seconds * 1000)))
    }

    /// Kills the process if it still runs (for clean-up after a failed expectation).
    func killIfRunning() {
        process.send(SIGKILL)
        _ = process.waitBlocking()
    }
}
