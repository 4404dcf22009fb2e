import Domain
import Foundation
import Subprocess

/// Runs `ovs-vsctl` against a managed switch's OVSDB, as networking-generic-switch's OVS device
/// does: `ovs-vsctl --db=<ovsdb> --no-wait --timeout=<s> set port <port> tag=<vlan>`. `--no-wait`
/// returns once the database has the change, without waiting for `ovs-vswitchd` (there may be
/// none, as in tests); `--timeout` and a kill after ``commandTimeout`` keep an unreachable switch
/// from holding the node.
public final class OVSTool: Sendable {
    /// The runner the standard drivers use.
    public static let standard = OVSTool()

    /// The executable, by name (looked up in `PATH`) or path.
    public let executable: String
    /// How long one run may take before it is killed.
    public let commandTimeout: Duration

    /// A runner of `executable`, killing runs that outlive `commandTimeout`.
    public init(executable: String = "ovs-vsctl", commandTimeout: Duration = .seconds(10)) {
        self.executable = executable
        self.commandTimeout = commandTimeout
    }

    /// Puts `switchPort` of `managedSwitch` on access VLAN `vlan`; throws naming the switch, the
    /// port and what `ovs-vsctl` said.
    public func setAccessVLAN(_ vlan: Int, on switchPort: String, of managedSwitch: ManagedSwitch) async throws(DriverError) {
        let (status, _, error) = try await run(["set", "port", switchPort, "tag=\(vlan)"], on: managedSwitch)
        guard status == 0 else {
            throw DriverError("Switch \(managedSwitch.name) (\(managedSwitch.ovsdb)) did not put its port \(switchPort) on VLAN \(vlan): "
                + (status == nil ? "ovs-vsctl did not answer within \(commandTimeout)" : Self.cause(error, status: status!)))
        }
    }

    /// The access VLAN of `switchPort`, `nil` if it has none (a trunk).
    public func accessVLAN(of switchPort: String, on managedSwitch: ManagedSwitch) async throws(DriverError) -> Int? {
        let (status, output, error) = try await run(["get", "port", switchPort, "tag"], on: managedSwitch)
        guard status == 0 else {
            throw DriverError("Switch \(managedSwitch.name) (\(managedSwitch.ovsdb)) did not tell the VLAN of its port \(switchPort): "
                + (status == nil ? "ovs-vsctl did not answer within \(commandTimeout)" : Self.cause(error, status: status!)))
        }
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The arguments of one run of `command` against `managedSwitch`.
    public func arguments(_ command: [String], on managedSwitch: ManagedSwitch) -> [String] {
        let seconds = max(1, Int(commandTimeout.components.seconds))
        return ["--db=\(managedSwitch.ovsdb)", "--no-wait", "--timeout=\(seconds)"] + command
    }

    private static func cause(_ error: String, status: Int32) -> String {
        let text = error.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "ovs-vsctl exited with status \(status)" : text
    }

    /// One run: its exit status (`nil` if it was killed for taking too long), output and error.
    private func run(_ command: [String], on managedSwitch: ManagedSwitch) async throws(DriverError) -> (Int32?, String, String) {
        let executable: Executable = self.executable.contains("/") ? .path(.init(self.executable)) : .name(self.executable)
        let arguments = arguments(command, on: managedSwitch)
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .milliseconds(200))]
        let platformOptions = options
        do {
            return try await withThrowingTaskGroup(of: (Int32?, String, String)?.self) { group in
                group.addTask {
                    let result = try await Subprocess.run(
                        executable, arguments: Arguments(arguments), environment: .inherit.updating(["LC_ALL": "C"]),
                        platformOptions: platformOptions, output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
                    )
                    let status: Int32 = switch result.terminationStatus {
                    case .exited(let code): code
                    case .signaled(let signal): 128 + signal
                    }
                    return (status, result.standardOutput, result.standardError)
                }
                group.addTask { [commandTimeout] in
                    try await Task.sleep(for: commandTimeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let finished = first else { return (nil, "", "") }
                return finished
            }
        } catch {
            throw DriverError("Cannot run \(self.executable) for switch \(managedSwitch.name): \(error)")
        }
    }
}
