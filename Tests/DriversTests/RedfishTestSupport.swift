import Domain
import Drivers
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a test's helper process or server could not be used.
struct SupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The repository's root (where Package.swift is).
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url.deleteLastPathComponent()
    }
    return url
}()

/// Short timeouts and retries, so failures show quickly; generous enough for a loaded machine.
let testConfiguration = RedfishConfiguration(
    connectionAttempts: 3, connectionRetryInterval: .milliseconds(100), retryBackoff: 2, requestTimeout: .seconds(30),
    powerStateChangeTimeout: .seconds(30), softPowerOffTimeout: .seconds(30), powerStatePollInterval: .milliseconds(100)
)

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

// MARK: Ports

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's pick).
func freeLoopbackPort() throws -> Int {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketFD >= 0 else { throw SupportError("socket() failed: errno \(errno)") }
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) }
    }
    guard bound == 0 else { throw SupportError("bind() failed: errno \(errno)") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
    }
    guard named == 0 else { throw SupportError("getsockname() failed: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

// MARK: The emulator

/// How to start a sushy-emulator.
struct EmulatorOptions {
    var systems = 2
    var instance = 0
    /// Basic-auth user and password, if any.
    var credentials: (user: String, password: String)?
    var tls = false
    /// Seconds a power change takes to show; `nil` for sushy's stock random 1–11 s.
    var powerDelay: Int? = 0
    var fakeBIOS = false
}

/// A sushy-emulator started by `tools/emulators/sushy` on a free loopback port, in its own
/// temporary state directory; it exits by itself if this test process dies.
final class RedfishEmulator: @unchecked Sendable {
    let options: EmulatorOptions
    let port: Int
    /// `http://127.0.0.1:PORT` (or https).
    let address: String
    let stateDirectory: String
    /// The self-signed certificate, with `tls`.
    let certificate: String?
    private let stopped = NSLock()
    private var isStopped = false

    static let script = repositoryRoot.appendingPathComponent("tools/emulators/sushy").path

    private init(options: EmulatorOptions, port: Int, address: String, stateDirectory: String, certificate: String?) {
        self.options = options
        self.port = port
        self.address = address
        self.stateDirectory = stateDirectory
        self.certificate = certificate
    }

    /// Starts an emulator, trying other ports if the one picked was taken meanwhile.
    static func start(_ options: EmulatorOptions = EmulatorOptions()) async throws -> RedfishEmulator {
        var failures: [String] = []
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-sushy-\(UUID().uuidString)").path
            var arguments = [script, "start", "--port", String(port), "--state-dir", directory, "--systems", String(options.systems),
                             "--instance", String(options.instance), "--owner-pid", String(ProcessInfo.processInfo.processIdentifier)]
            if let credentials = options.credentials { arguments += ["--user", credentials.user, "--password", credentials.password] }
            if options.tls { arguments.append("--tls") }
            if let delay = options.powerDelay { arguments += ["--power-delay", String(delay)] }
            if options.fakeBIOS { arguments.append("--fake-bios") }
            let output = try await runProcess(["bash"] + arguments)
            let values = Dictionary(output.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            }, uniquingKeysWith: { $1 })
            if output.status == 0, let url = values["url"] {
                return RedfishEmulator(options: options, port: port, address: url, stateDirectory: directory, certificate: values["cert"])
            }
            _ = try? await runProcess(["bash", script, "stop", "--state-dir", directory, "--wipe"])
            failures.append("port \(port): exit \(output.status)\n\(output.stderr)")
        }
        throw SupportError("sushy-emulator could not be started with \(script) (needs python3 with venv and PyPI access the first time):\n"
            + failures.joined(separator: "\n"))
    }

    /// Stops the emulator and removes its state directory; harmless to call twice.
    func stop() async {
        let first = stopped.withLock { () -> Bool in
            defer { isStopped = true }
            return !isStopped
        }
        guard first else { return }
        _ = try? await runProcess(["bash", Self.script, "stop", "--state-dir", stateDirectory, "--wipe"])
    }

    /// The emulator's request log (Werkzeug writes a line per request).
    var log: String { (try? String(contentsOfFile: stateDirectory + "/emulator.log", encoding: .utf8)) ?? "" }

    /// The UUID of system `system` (1-based), as the launcher makes it.
    func uuid(_ system: Int) -> String { String(format: "%08x-0000-4000-8000-%012x", options.instance, system) }
    /// The `@odata.id` of system `system`.
    func systemPath(_ system: Int) -> String { "/redfish/v1/Systems/\(uuid(system))" }
    /// The MACs of system `system`.
    func macs(_ system: Int) -> [String] {
        [0, 1].map { String(format: "52:54:%02x:%02x:%02x:%02x", $0, options.instance, system >> 8, system & 0xff) }
    }

    /// `driver_info` for a node on system `system` (`nil`: no redfish_system_id).
    func driverInfo(system: Int? = 1) -> [String: JSONValue] {
        var info: [String: JSONValue] = ["redfish_address": .string(address)]
        if let system { info["redfish_system_id"] = .string(systemPath(system)) }
        if let credentials = options.credentials {
            info["redfish_username"] = .string(credentials.user)
            info["redfish_password"] = .string(credentials.password)
        }
        if let certificate { info["redfish_verify_ca"] = .string(certificate) }
        return info
    }

    /// Reads `path` from the emulator directly — with Python's urllib, not through the driver.
    func directGET(_ path: String) async throws -> JSONValue {
        let script = """
        import base64, ssl, sys, urllib.request
        url, user, password, cafile = sys.argv[1:5]
        request = urllib.request.Request(url)
        if user:
            request.add_header('Authorization', 'Basic ' + base64.b64encode((user + ':' + password).encode()).decode())
        context = ssl.create_default_context(cafile=cafile) if url.startswith('https') else None
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            sys.stdout.write(response.read().decode())
        """
        let output = try await runProcess(["python3", "-c", script, address + path, options.credentials?.user ?? "",
                                           options.credentials?.password ?? "", certificate ?? ""])
        guard output.status == 0 else { throw SupportError("direct GET \(path) failed: \(output.stderr)") }
        return try JSONParser.parse(Data(output.stdout.utf8))
    }

    /// The system's `PowerState`, read directly.
    func powerState(_ system: Int = 1) async throws -> String? {
        try await directGET(systemPath(system))["PowerState"]?.stringValue
    }
}

/// Runs `body` with a started emulator, stopping it afterwards whether `body` fails or not.
func withEmulator<T>(_ options: EmulatorOptions = EmulatorOptions(), _ body: (RedfishEmulator) async throws -> T) async throws -> T {
    let emulator = try await RedfishEmulator.start(options)
    do {
        let result = try await body(emulator)
        await emulator.stop()
        return result
    } catch {
        await emulator.stop()
        throw error
    }
}

// MARK: A static HTTP server

/// `python3`'s HTTP server over a temporary directory on a free loopback port: images for
/// virtual media, or canned answers. It exits by itself if this test process dies.
final class StaticHTTPServer: @unchecked Sendable {
    let port: Int
    let directory: URL
    private let process: ChildProcess

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, directory: URL, process: ChildProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Serves `files` (relative path → contents).
    static func start(files: [String: Data]) async throws -> StaticHTTPServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-http-\(UUID().uuidString)")
        for (path, contents) in files {
            let file = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file)
        }
        // The server says it listens by creating the ready file (no blocking connects here).
        let script = """
        import functools, http.server, os, sys, threading, time
        port, directory, owner, ready = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
        def watch():
            while True:
                try:
                    os.kill(owner, 0)
                except ProcessLookupError:
                    os._exit(0)
                time.sleep(0.5)
        threading.Thread(target=watch, daemon=True).start()
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
        server = http.server.ThreadingHTTPServer(('127.0.0.1', port), handler)
        open(ready, 'w').close()
        server.serve_forever()
        """
        var failures: [String] = []
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            let ready = directory.path + ".ready-\(port)"
            let log = directory.path + ".log-\(port)"
            let process = try ChildProcess(["python3", "-c", script, String(port), directory.path,
                                            String(ProcessInfo.processInfo.processIdentifier), ready], stderr: log)
            for _ in 0..<400 where process.isRunning && !FileManager.default.fileExists(atPath: ready) {
                try await Task.sleep(for: .milliseconds(25))
            }
            let started = process.isRunning && FileManager.default.fileExists(atPath: ready)
            try? FileManager.default.removeItem(atPath: ready)
            if started {
                try? FileManager.default.removeItem(atPath: log)
                return StaticHTTPServer(port: port, directory: directory, process: process)
            }
            await process.stop()
            failures.append("port \(port): " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
            try? FileManager.default.removeItem(atPath: log)
        }
        try? FileManager.default.removeItem(at: directory)
        throw SupportError("python3 -m http.server did not start (tried \(failures.joined(separator: ", ")))")
    }

    /// Stops the server and removes its directory.
    func stop() async {
        await process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a started static server, stopping it afterwards whether `body` fails or not.
func withHTTPServer<T>(files: [String: Data], _ body: (StaticHTTPServer) async throws -> T) async throws -> T {
    let server = try await StaticHTTPServer.start(files: files)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

// MARK: Nodes and tasks

/// The Redfish interfaces with the test configuration, in a registry of the `redfish` type.
let redfishRegistry = DriverRegistry(hardwareTypes: [.redfish], implementations: [
    RedfishPower(configuration: testConfiguration), RedfishManagement(configuration: testConfiguration),
    RedfishInspect(configuration: testConfiguration), RedfishVirtualMediaBoot(configuration: testConfiguration),
    RedfishBIOS(configuration: testConfiguration),
])

/// A driver task for a `redfish` node with `driverInfo`, on the system clock.
func redfishTask(_ driverInfo: [String: JSONValue], instanceInfo: JSONValue = .emptyObject,
                 boot: String? = nil) throws -> DriverTask {
    var node = Node(uuid: UUID(), driver: "redfish")
    node.driverInfo = .object(driverInfo)
    node.instanceInfo = instanceInfo
    if let boot { node.interfaces[.boot] = boot }
    return DriverTask(node: node, driver: try redfishRegistry.resolve(node), clock: SystemClock())
}

/// The DriverError `body` throws, or a test failure if it throws none.
func driverError(_ body: () async throws(DriverError) -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> DriverError? {
    do {
        try await body()
        Issue.record("expected a DriverError, got none", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
