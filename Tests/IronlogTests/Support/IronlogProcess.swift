import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An `ironlog` child process whose stderr goes to a file, so it can be read at any time without
/// the pipe ever filling up and blocking the child.
final class IronlogProcess {
    /// The command line after `ironlog`.
    let arguments: [String]
    private let process = Process()
    private let stderrURL: URL

    /// Starts `ironlog arguments…`.
    init(_ arguments: [String]) throws {
        self.arguments = arguments
        stderrURL = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-stderr-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = try IronlogBinary.url()
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: stderrURL)
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// Everything it has written to stderr so far.
    var standardError: String {
        (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// How the process ended.
    enum Termination: Equatable {
        /// It exited with this status.
        case exit(Int32)
        /// A signal killed it.
        case signal(Int32)
    }

    /// Waits up to `seconds` for the process to end; nil if it is still running then.
    func waitForExit(seconds: Double) async throws -> Termination? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.waitUntilExit()
        return process.terminationReason == .exit ? .exit(process.terminationStatus) : .signal(process.terminationStatus)
    }

    /// Kills the process if it still runs (for clean-up after a failed expectation).
    func killIfRunning() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
