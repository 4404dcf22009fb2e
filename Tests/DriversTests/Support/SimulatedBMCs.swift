import Domain
import Drivers
import Foundation

/// One emulated BMC (an `ipmi_sim` on 127.0.0.1) and the files that are its chassis.
struct SimulatedBMC: Sendable {
    let port: Int
    /// The chassis state files (`power`, `boot`, `requests`, `resets`, `stuck`).
    let chassis: String
    let user: String
    let password: String
    /// The password in a file, for `ipmitool -f` run as a witness.
    let passwordFile: String

    /// `address:port`, as driver errors name the BMC.
    var name: String { "127.0.0.1:\(port)" }

    /// A node's `driver_info` for this BMC (cipher suite 3: ipmi_sim has no Get Channel Cipher
    /// Suites).
    func driverInfo(password: String? = nil, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var info: [String: JSONValue] = [
            "ipmi_address": "127.0.0.1", "ipmi_port": .string(String(port)), "ipmi_username": .string(user),
            "ipmi_password": .string(password ?? self.password), "ipmi_cipher_suite": "3",
        ]
        info.merge(extra) { $1 }
        return .object(info)
    }

    /// A chassis file's content, trimmed (nil if absent).
    func chassisFile(_ name: String) -> String? {
        (try? String(contentsOfFile: "\(chassis)/\(name)", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The chassis's power as the emulator keeps it: "1" on, "0" off.
    var chassisPower: String? { chassisFile("power") }

    /// The requests ipmi_sim passed to the chassis, in order (`set power 1`, `set shutdown 1`…).
    var requests: [String] { (chassisFile("requests") ?? "").split(separator: "\n").map(String.init) }

    /// The `set` requests only (reads of power and boot left out).
    var changes: [String] { requests.filter { $0.hasPrefix("set ") } }

    /// Makes the chassis accept power requests and change nothing (or behave again).
    func setStuck(_ stuck: Bool) throws {
        let path = "\(chassis)/stuck"
        if stuck { FileManager.default.createFile(atPath: path, contents: Data()) } else { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Runs `ipmitool` itself against the BMC — an independent witness of its state, not our code.
    func ipmitool(_ command: String...) async throws -> String {
        let outcome = try await runProcess("/usr/bin/env", ["ipmitool", "-I", "lanplus", "-H", "127.0.0.1", "-p", String(port), "-U", user,
                                                            "-f", passwordFile, "-C", "3", "-N", "1", "-R", "2"] + command)
        guard outcome.status == 0 else {
            throw SimulatedBMCs.Failure(message: "ipmitool \(command.joined(separator: " ")) on \(name) failed (\(outcome.status)): \(outcome.standardError)")
        }
        return outcome.standardOutput
    }

    /// `chassis power status` as ipmitool reads it: "on" or "off".
    func witnessedPower() async throws -> String {
        let output = try await ipmitool("chassis", "power", "status")
        if output.contains("Chassis Power is on") { return "on" }
        if output.contains("Chassis Power is off") { return "off" }
        throw SimulatedBMCs.Failure(message: "unexpected power status from \(name): \(output)")
    }
}

/// A set of emulated BMCs started by `tools/emulators/ipmi-sim` on free ports, in a state
/// directory of their own; ``stop()`` stops them and removes it. The script also watches this
/// test process, so the BMCs go away even if the run dies.
final class SimulatedBMCs: Sendable {
    static let user = "ironlog"
    static let password = "bmc-Pa55-word"

    let state: String
    let bmcs: [SimulatedBMC]

    private init(state: String, bmcs: [SimulatedBMC]) {
        self.state = state
        self.bmcs = bmcs
    }

    /// The repository's emulator script.
    static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("tools/emulators/ipmi-sim").path
    }()

    /// Starts `count` BMCs; throws with the script's own words if they do not come up.
    static func start(_ count: Int) async throws -> SimulatedBMCs {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-ipmi-sim-\(UUID().uuidString.prefix(8))").path
        let ports = try FreePorts.udp(count)
        let arguments = ["start", "-d", state, "-u", user, "-p", password, "-w", String(ProcessInfo.processInfo.processIdentifier)]
            + ports.map(String.init)
        let outcome = try await runProcess(script, arguments)
        guard outcome.status == 0 else {
            try? FileManager.default.removeItem(atPath: state)
            throw Failure(message: "The IPMI emulator did not start (\(script) exited \(outcome.status)); "
                + "is openipmi installed (tools/install-deps)?\n\(outcome.standardOutput)\(outcome.standardError)")
        }
        let bmcs = ports.map { port in
            SimulatedBMC(port: port, chassis: "\(state)/bmc-\(port)/chassis", user: user, password: password, passwordFile: "\(state)/password")
        }
        return SimulatedBMCs(state: state, bmcs: bmcs)
    }

    /// Stops every BMC (idempotent).
    func stopEmulators() async {
        _ = try? await runProcess(Self.script, ["stop", "-d", state])
    }

    /// Stops every BMC and removes the state directory.
    func stop() async {
        await stopEmulators()
        try? FileManager.default.removeItem(atPath: state)
    }

    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Runs `body` with `count` fresh emulated BMCs, stopping them afterwards whether it passed,
/// failed or threw.
func withSimulatedBMCs<T>(_ count: Int = 1, _ body: (SimulatedBMCs) async throws -> T) async throws -> T {
    let simulators = try await SimulatedBMCs.start(count)
    do {
        let result = try await body(simulators)
        await simulators.stop()
        return result
    } catch {
        await simulators.stop()
        throw error
    }
}
