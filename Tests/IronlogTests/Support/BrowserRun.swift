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

/// A headless chromium for the web UI's end-to-end test: started on a free DevTools port on
/// 127.0.0.1 with a profile in a temporary directory (and `--no-sandbox` when running as root),
/// and ended by ``stop()``.
final class BrowserRun {
    /// The browser's executable, found on `PATH` (`chromium`, as Debian names it), or nil.
    static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// Whether the browser and the driver's Python module (`websocket`, Debian's
    /// python3-websocket) are there; if not, runs `tools/install-deps` once, which installs both,
    /// and looks again. False only when they are missing and could not be installed.
    static let available: Bool = {
        if executable() != nil && hasDriver() { return true }
        let script = ClientScriptRun.root.appendingPathComponent("tools/install-deps").path
        _ = try? ChildProcess("/bin/bash", [script], standardOutput: .discard, standardError: .discard).waitBlocking()
        return executable() != nil && hasDriver()
    }()

    /// The Python the driver runs on: Debian's, where apt installs python3-websocket (a `python3`
    /// earlier on `PATH`, from pyenv say, would not see it).
    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    private static func hasDriver() -> Bool {
        guard let child = try? ChildProcess(python, ["-c", "import websocket"]) else { return false }
        return child.waitBlocking() == .exit(0)
    }

    /// The DevTools port on 127.0.0.1.
    let port: Int
    private let process: ChildProcess
    private let profile: URL

    /// Starts the browser with its profile and log in `directory`.
    init(in directory: URL) throws {
        guard let executable = Self.executable() else { throw CancellationError() }
        port = try LoopbackPort.free()
        profile = directory.appendingPathComponent("chromium-profile", isDirectory: true)
        var flags = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--password-store=basic", "--window-size=1280,1024",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=\(port)", "--user-data-dir=\(profile.path)",
        ]
        if geteuid() == 0 { flags.append("--no-sandbox") }
        let log = directory.appendingPathComponent("chromium.log").path
        // In a process group of its own (setsid execs in place: the pid is the browser's), so
        // ending the group ends its renderer and zygote processes too.
        process = try ChildProcess("setsid", [executable] + flags + ["about:blank"], standardOutput: .file(log), standardError: .file(log))
    }

    deinit {
        kill(-process.pid, SIGKILL)
    }

    /// Ends the browser: SIGTERM, SIGKILL after 10 s, then SIGKILL to whatever of its process
    /// group is left.
    func stop() async {
        await process.stop(grace: .seconds(10))
        kill(-process.pid, SIGKILL)
    }
}
