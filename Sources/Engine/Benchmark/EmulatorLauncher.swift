import EventStore
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
    /// Spawned as a ``ChildProcess``, its output into a file: the emulators the script leaves
    /// running must hold nothing this process waits on, and start with no signal blocked, so
    /// that they stop when told to.
    @discardableResult
    func run(_ script: String, _ arguments: [String]) throws -> String {
        let log = state + "/\(script)-\(UUID().uuidString).log"
        let path = tools + "/" + script
        let ended: ChildProcess.Termination
        do {
            ended = try ChildProcess(path, arguments, standardOutput: .file(log), standardError: .file(log)).waitBlocking()
        } catch {
            throw EmulatorFailure(description: "\(error)")
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard ended == .exit(0) else {
            throw EmulatorFailure(description: "\(script) \(arguments.joined(separator: " ")) failed:\n\(output)")
        }
        return output
    }
}

/// An emulator would not start or stop.
struct EmulatorFailure: Error, CustomStringConvertible {
    let description: String
}
