import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A helper program started by a benchmark or a test — an emulator script, a client, another
/// `ironlog` — and reaped by a thread of its own, so waiting for it never blocks a thread of the
/// concurrency pool.
///
/// It is spawned directly (`posix_spawn`): stdin from `/dev/null`, stdout and stderr into files
/// (or `/dev/null`), every other descriptor of this process closed in the child, no signal
/// blocked and default handlers, so `SIGTERM` stops it. Foundation's `Process` is not used: it
/// lists `/proc/self/fd` with a copy that can read past the end of the directory buffer when a
/// process holds many descriptors, as a test run holding hundreds of stores does.
public final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        /// It exited with this status.
        case exit(Int32)
        /// This signal killed it.
        case signal(Int32)

        /// The shell's convention: the exit status, or 128 plus the signal.
        public var status: Int32 {
            switch self {
            case .exit(let status): status
            case .signal(let signal): 128 + signal
            }
        }

        public var description: String {
            switch self {
            case .exit(let status): "exit status \(status)"
            case .signal(let signal): "signal \(signal)"
            }
        }
    }

    /// Where one of the child's output streams goes.
    public enum Output: Sendable, Equatable {
        /// `/dev/null`.
        case discard
        /// This file, created or truncated.
        case file(String)
        /// This descriptor of the caller's (the write end of a pipe, say), which the caller closes.
        case descriptor(Int32)
    }

    /// The child's process id.
    public let pid: pid_t
    private let condition = NSCondition()
    private var termination: Termination?
    private var waiters: [CheckedContinuation<Termination, Never>] = []

    /// Starts `executable` with `arguments`. An executable without a `/` is looked up on `PATH`.
    /// When `standardOutput` and `standardError` name the same file, the two streams share it.
    /// `environment` replaces this process's.
    public init(_ executable: String, _ arguments: [String] = [], standardOutput: Output = .discard, standardError: Output = .discard,
                environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        func direct(_ output: Output, to descriptor: Int32) {
            switch output {
            case .discard: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, descriptor)
            }
        }
        direct(standardOutput, to: 1)
        if case .file = standardError, standardError == standardOutput {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            direct(standardError, to: 2)
        }
        if let closeFrom = Self.closeFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // This process's threads block signals; a child inheriting that mask would ignore SIGTERM.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for pointer in envp ?? [] { free(pointer) } }
        var pid: pid_t = 0
        let result: Int32 = if let envp {
            executable.contains("/") ? posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                : posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        } else {
            executable.contains("/") ? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
                : posix_spawnp(&pid, executable, &actions, &attributes, argv, environ)
        }
        guard result == 0 else { throw ChildProcessFailure(executable: executable, code: result) }
        self.pid = pid
        let reaper = Thread { [self] in reap() }
        reaper.name = "ironlog-reaper"
        reaper.start()
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which its headers
    /// declare only for GNU sources; without it the child still loses every close-on-exec
    /// descriptor, which is all of LMDB's and the sockets'.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let signal = status & 0x7f
        let ended: Termination = signal == 0 ? .exit((status >> 8) & 0xff) : .signal(signal)
        condition.lock()
        termination = ended
        let resumed = waiters
        waiters.removeAll()
        condition.broadcast()
        condition.unlock()
        for waiter in resumed { waiter.resume(returning: ended) }
    }

    /// Whether it has not ended yet.
    public var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return termination == nil
    }

    /// How it ended, once it has.
    public func wait() async -> Termination {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let termination {
                condition.unlock()
                continuation.resume(returning: termination)
            } else {
                waiters.append(continuation)
                condition.unlock()
            }
        }
    }

    /// How it ended, blocking the calling thread until it has (for code on a thread of its own).
    public func waitBlocking() -> Termination {
        condition.lock()
        defer { condition.unlock() }
        while termination == nil { condition.wait() }
        return termination!
    }

    /// Waits up to `timeout` for it to end; nil if it still runs then.
    public func wait(timeout: Duration) async throws -> Termination? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while isRunning {
            guard clock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return await wait()
    }

    /// Sends `signal`, if it still runs.
    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// `SIGTERM`, then `SIGKILL` if it has not ended after `grace`; returns how it ended.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) async -> Termination {
        send(SIGTERM)
        let killer = Task { [self] in
            try await Task.sleep(for: grace)
            send(SIGKILL)
        }
        let ended = await wait()
        killer.cancel()
        return ended
    }
}

/// A helper program could not be started.
public struct ChildProcessFailure: Error, CustomStringConvertible {
    /// What was to run.
    public let executable: String
    /// `posix_spawn`'s error number.
    public let code: Int32

    public var description: String { "cannot run \(executable): \(String(cString: strerror(code)))" }
}

/// A pipe to read a child's output from: both ends close-on-exec, so no other child inherits
/// them; hand ``writeEnd`` to the child as a ``ChildProcess/Output/descriptor(_:)``.
public final class ChildPipe: @unchecked Sendable {
    /// The end this process reads.
    public let readEnd: Int32
    /// The end the child writes.
    public let writeEnd: Int32
    private var readOpen = true, writeOpen = true

    /// Opens the pipe.
    public init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw ChildProcessFailure(executable: "pipe", code: errno) }
        readEnd = ends[0]
        writeEnd = ends[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        closeReading()
        closeWriting()
    }

    /// Closes this process's copy of the write end (once the child has it), so the child's death
    /// ends the reads.
    public func closeWriting() {
        if writeOpen { close(writeEnd) }
        writeOpen = false
    }

    /// Closes the read end.
    public func closeReading() {
        if readOpen { close(readEnd) }
        readOpen = false
    }

    /// Everything left to read, up to end of file, as UTF-8 text.
    public func readToEnd() -> String {
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
