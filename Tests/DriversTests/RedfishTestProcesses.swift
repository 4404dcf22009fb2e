import Engine
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: Processes

/// What a finished process printed.
struct ProcessOutput {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A child process started with `posix_spawn` and reaped with a blocking `waitpid` on a thread
/// of its own, so waiting never blocks the tests' concurrency pool. (Foundation's `Process`
/// left children unreaped, their termination handlers never called, when several tests started
/// processes at once.)
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    /// Starts `arguments` (the first is looked up on PATH), stdin from /dev/null, stdout and
    /// stderr into the files named (or /dev/null).
    init(_ arguments: [String], stdout: String? = nil, stderr: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // The child starts with no signal blocked and default handlers: this process's threads
        // block signals, and a child inheriting that mask would ignore SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
        guard result == 0 else { throw SupportError("posix_spawn \(arguments.joined(separator: " ")) failed: \(result)") }
        self.pid = pid
        let child = pid
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1, errno == EINTR {}
            // WIFEXITED / WEXITSTATUS, else 128 + the signal.
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            let resumed = lock.withLock { () -> [CheckedContinuation<Int32, Never>] in
                exitStatus = code
                defer { waiters.removeAll() }
                return waiters
            }
            for waiter in resumed { waiter.resume(returning: code) }
        }
        thread.start()
    }

    /// Whether it has not exited yet.
    var isRunning: Bool { lock.withLock { exitStatus == nil } }

    /// Its exit status, once it exits.
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = lock.withLock { () -> Int32? in
                if let exitStatus { return exitStatus }
                waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Sends SIGTERM (if it still runs).
    func terminate() {
        if isRunning { kill(pid, SIGTERM) }
    }

    /// SIGTERM, then SIGKILL if it has not exited after `grace`; returns once it has exited.
    func stop(grace: Duration = .seconds(5)) async {
        terminate()
        let killer = Task { [self] in
            try await Task.sleep(for: grace)
            if isRunning { kill(pid, SIGKILL) }
        }
        _ = await wait()
        killer.cancel()
    }
}

/// Runs `arguments` (the first is looked up on PATH) to the end.
func runProcess(_ arguments: [String]) async throws -> ProcessOutput {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-process-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout").path, err = scratch.appendingPathComponent("stderr").path
    let status = try await ChildProcess(arguments, stdout: out, stderr: err).wait()
    return ProcessOutput(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

