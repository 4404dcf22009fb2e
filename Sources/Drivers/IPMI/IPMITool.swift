import Foundation
import Subprocess

/// What one successful `ipmitool` run printed.
public struct IPMIToolOutput: Sendable, Hashable {
    /// Standard output: what the command answered (`Chassis Power is on`, boot parameters…).
    public let standardOutput: String
    /// Standard error, with `-v` diagnostics.
    public let standardError: String
}

/// Runs `ipmitool` against one BMC, as Ironic's `ipmitool._exec_ipmitool` does: `-I lanplus`
/// (or `lan` for IPMI 1.5), `-H -p -U -L [-C]`, the password in a private file with `-f` —
/// never on the command line —, each run killed if it outlives
/// ``IPMIConfiguration/commandTimeout``, commands to one BMC spaced by
/// ``IPMIConfiguration/minCommandInterval``, and transient failures retried until
/// ``IPMIConfiguration/commandRetryTimeout`` (at least once, whatever the first attempt
/// took). Wrong credentials and refused commands fail at once: retrying a wrong password only
/// locks the account.
///
/// One instance is shared by the power and management interfaces so that both respect the
/// spacing of commands to a BMC.
public final class IPMITool: Sendable {
    /// The runner the standard drivers share, with Ironic's settings: one per process, so that
    /// every interface spaces its commands to a BMC with every other's.
    public static let standard = IPMITool()

    /// The settings it runs with.
    public let configuration: IPMIConfiguration
    private let spacing = IPMICommandSpacing()
    /// The least pause before a retry, whatever the spacing.
    private static let leastRetryPause = Duration.milliseconds(200)
    /// A transient failure is tried again at least once, however long the first attempt took:
    /// one lost datagram or one slow answer must not fail an operation on its own.
    private static let leastAttempts = 2

    /// A runner with `configuration` (Ironic's defaults unless given).
    public init(configuration: IPMIConfiguration = IPMIConfiguration()) {
        self.configuration = configuration
    }

    /// The arguments of one run of `command` against `info`'s BMC, reading the password from
    /// `passwordFile`. The password itself is never among them.
    public func arguments(_ command: [String], for info: IPMIDriverInfo, passwordFile: String) -> [String] {
        var arguments = ["-I", info.interface, "-H", info.address, "-L", info.privilegeLevel]
        if let port = info.port { arguments += ["-p", String(port)] }
        if let username = info.username { arguments += ["-U", username] }
        if let cipherSuite = info.cipherSuite { arguments += ["-C", String(cipherSuite)] }
        arguments += ["-R", "1", "-N", String(configuration.retransmitInterval), "-v", "-f", passwordFile]
        return arguments + command
    }

    /// Runs `command` (the words after the connection options, such as `chassis power status`)
    /// on the node's BMC and returns what it printed; retries transient failures, and throws a
    /// ``DriverError`` naming the BMC, the command and the cause otherwise.
    public func run(_ command: [String], on info: IPMIDriverInfo) async throws(DriverError) -> IPMIToolOutput {
        let started = ContinuousClock.now
        let deadline = started.advanced(by: configuration.commandRetryTimeout)
        var attempts = 0
        while true {
            try await spacing.waitForTurn(info.bmc, interval: configuration.minCommandInterval)
            attempts += 1
            let (output, failure) = try await runOnce(command, on: info)
            guard let failure else { return output }
            let elapsed = ContinuousClock.now - started
            let windowOpen = ContinuousClock.now.advanced(by: configuration.minCommandInterval) < deadline
            guard failure.isRetryable, attempts < Self.leastAttempts || windowOpen else {
                let tries = failure.isRetryable || attempts > 1
                    ? " after \(attempts) \(attempts == 1 ? "attempt" : "attempts") in \(elapsed.secondsText)" : ""
                throw DriverError("IPMI command \"\(command.joined(separator: " "))\" to BMC \(info.bmc) failed\(tries): \(failure.cause)")
            }
            // The spacing above keeps retries apart; a BMC that fails at once is still not hammered
            // when the spacing is switched off.
            if configuration.minCommandInterval < Self.leastRetryPause {
                do { try await Task.sleep(for: Self.leastRetryPause) } catch {
                    throw DriverError("Cancelled while retrying \"\(command.joined(separator: " "))\" on BMC \(info.bmc)")
                }
            }
        }
    }

    /// One run: the output, and why it failed if it did.
    private func runOnce(_ command: [String], on info: IPMIDriverInfo) async throws(DriverError) -> (IPMIToolOutput, IPMIToolFailure?) {
        BMCCalls.record()
        let passwordFile = try IPMIPasswordFile(password: info.password)
        let arguments = arguments(command, for: info, passwordFile: passwordFile.path)
        let executable: Executable = configuration.executable.contains("/")
            ? .path(.init(configuration.executable)) : .name(configuration.executable)
        let options = {
            var options = PlatformOptions()
            options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .milliseconds(200))]
            return options
        }()
        let finished: (status: Int32?, output: IPMIToolOutput)
        do {
            finished = try await Self.withTimeout(configuration.commandTimeout) {
                let result = try await Subprocess.run(
                    executable, arguments: Arguments(arguments), environment: .inherit.updating(["LC_ALL": "C"]),
                    platformOptions: options, output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
                )
                let status: Int32 = switch result.terminationStatus {
                case .exited(let code): code
                case .signaled(let signal): 128 + signal
                }
                return (status, IPMIToolOutput(standardOutput: result.standardOutput, standardError: result.standardError))
            }
        } catch let error as DriverError {
            throw error
        } catch let error as SubprocessError where error.underlyingError?.rawValue == ETXTBSY {
            // The executable is open for writing somewhere (being installed or replaced, or
            // inherited by a child forked meanwhile): that passes, so the run is retried.
            let cause = "\(configuration.executable) is busy being written (\(error)); retried"
            return (IPMIToolOutput(standardOutput: "", standardError: ""), .transient(cause))
        } catch {
            throw DriverError("Cannot run \(configuration.executable) for BMC \(info.bmc): \(error)")
        }
        _ = consume passwordFile
        return (finished.output, IPMIToolFailure.classify(status: finished.status, standardError: finished.output.standardError))
    }

    /// Runs `body`, cancelling it (which kills the process) once `timeout` has passed: then the
    /// status is nil.
    private static func withTimeout(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> (Int32, IPMIToolOutput))
        async throws -> (status: Int32?, output: IPMIToolOutput) {
        try await withThrowingTaskGroup(of: (Int32, IPMIToolOutput)?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let finished = first else {
                return (nil, IPMIToolOutput(standardOutput: "", standardError: ""))
            }
            return (finished.0, finished.1)
        }
    }
}
