import EventStore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An `ironlog` child process whose stderr goes to a file, so it can be read at any time without
/// a pipe ever filling up and blocking the child.
final class IronlogProcess {
    /// The command line after `ironlog`.
    let arguments: [String]
    private let process: ChildProcess
    private let stderrPath: String

    /// Starts `ironlog arguments…`.
    ///
    /// With `fileSizeLimit`, the process runs under that soft RLIMIT_FSIZE (rounded down to 512-byte
    /// blocks, set through `sh`'s `ulimit -S -f`) with SIGXFSZ ignored: a write that would grow a
    /// file past it fails with EFBIG, as a write to a full disk fails with ENOSPC. Being soft, the
    /// limit can be lifted while the process runs (``liftFileSizeLimit()``).
    init(_ arguments: [String], fileSizeLimit: UInt64? = nil) throws {
        self.arguments = arguments
        stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-stderr-\(UUID().uuidString).log").path
        let binary = try IronlogBinary.url().path
        if let fileSizeLimit {
            let script = "ulimit -S -f \(fileSizeLimit / 512) && trap '' XFSZ && exec \"$0\" \"$@\""
            process = try ChildProcess("/bin/sh", ["-c", script, binary] + arguments, standardError: .file(stderrPath))
        } else {
            process = try ChildProcess(binary, arguments, standardError: .file(stderrPath))
        }
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

    /// Raises the process's soft file size limit to its hard limit — "space freed" for a process
    /// started with `fileSizeLimit`. False where `prlimit(2)` is not available (it is Linux's).
    func liftFileSizeLimit() -> Bool {
        #if os(Linux)
        typealias PRLimit = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?, UnsafeMutablePointer<rlimit>?) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prlimit") else { return false }
        let prlimit = unsafeBitCast(symbol, to: PRLimit.self)
        var current = rlimit()
        guard prlimit(pid, Int32(RLIMIT_FSIZE.rawValue), nil, &current) == 0 else { return false }
        var lifted = rlimit(rlim_cur: current.rlim_max, rlim_max: current.rlim_max)
        return prlimit(pid, Int32(RLIMIT_FSIZE.rawValue), &lifted, nil) == 0
        #else
        return false
        #endif
    }

    /// Kills the process if it still runs (for clean-up after a failed expectation).
    func killIfRunning() {
        process.send(SIGKILL)
        _ = process.waitBlocking()
    }
}
