import Foundation

/// Starts and stops the project's BMC emulators (`tools/emulators/ipmi-sim`, `…/sushy`) for a
/// benchmark: each tied to this process, so they exit with it however it ends.
struct EmulatorLauncher {
    /// The directory holding the launcher scripts.
    let tools: String
    /// Where emulator state goes.
    let state: String

    /// Runs a launcher script to completion; throws its output if it fails.
    ///
    /// Spawned directly (`posix_spawn`), its output into a file: the emulators the script leaves
    /// running must hold nothing this process waits on, and start with no signal blocked, so
    /// that they stop when told to.
    @discardableResult
    func run(_ script: String, _ arguments: [String]) throws -> String {
        let log = state + "/\(script)-\(UUID().uuidString).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let path = tools + "/" + script
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw EmulatorFailure(description: "cannot run \(path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw EmulatorFailure(description: "\(script) \(arguments.joined(separator: " ")) failed:\n\(output)")
        }
        return output
    }
}

/// An emulator would not start or stop.
struct EmulatorFailure: Error, CustomStringConvertible {
    let description: String
}
