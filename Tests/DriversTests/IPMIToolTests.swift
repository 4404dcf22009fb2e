import Domain
import Drivers
import Foundation
import Testing

/// An `ipmitool` stand-in that notes each run's real argument list and the mode of its
/// password file, then runs the real ipmitool: what any user on the machine could see in
/// `ps` is exactly what it notes.
struct IPMIToolWitness {
    let directory: String
    var executable: String { "\(directory)/ipmitool" }
    var log: String { "\(directory)/runs" }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-ipmitool-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
        #!/bin/sh
        file= previous=
        for argument in "$@"; do [ "$previous" = "-f" ] && file=$argument; previous=$argument; done
        echo "$* | mode $(stat -c %a "$file")" >> '\(directory)/runs'
        exec ipmitool "$@"

        """
        _ = FileManager.default.createFile(atPath: executable, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
    }

    /// One line per run: the arguments, then `| mode 600`.
    var runs: [String] { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }

    /// The password files the runs were given.
    var passwordFiles: [String] {
        runs.compactMap { run in
            let words = run.split(separator: " ").map(String.init)
            return words.firstIndex(of: "-f").map { words[$0 + 1] }
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite("ipmitool runs: arguments, password handling, failures and retries")
struct IPMIToolTests {
    @Test("the argument list carries the connection, the password file and never the password")
    func arguments() throws {
        let drivers = IPMIDrivers()
        let task = try drivers.task(["ipmi_address": "10.1.2.3", "ipmi_port": 6230, "ipmi_username": "root",
                                     "ipmi_password": "hunter2-very-secret", "ipmi_cipher_suite": 3])
        let info = try IPMIDriverInfo(task)
        let arguments = drivers.tool.arguments(["chassis", "power", "status"], for: info, passwordFile: "/tmp/pw")
        #expect(!arguments.contains { $0.contains("hunter2") })
        #expect(!arguments.contains("-P"))
        #expect(!arguments.contains("-E"))
        #expect(arguments == ["-I", "lanplus", "-H", "10.1.2.3", "-L", "ADMINISTRATOR", "-p", "6230", "-U", "root", "-C", "3",
                              "-R", "1", "-N", "1", "-v", "-f", "/tmp/pw", "chassis", "power", "status"])

        let legacy = try IPMIDriverInfo(drivers.task(["ipmi_address": "10.1.2.3", "ipmi_protocol_version": "1.5", "ipmi_priv_level": "OPERATOR"]))
        let plain = drivers.tool.arguments(["chassis", "power", "on"], for: legacy, passwordFile: "/tmp/pw")
        #expect(plain.starts(with: ["-I", "lan", "-H", "10.1.2.3", "-L", "OPERATOR", "-R"]))
        #expect(!plain.contains("-C"))
    }

    @Test("the running ipmitool gets the password in a private file that is removed afterwards, never in its arguments")
    func passwordNeverOnTheCommandLine() async throws {
        let witness = try IPMIToolWitness()
        defer { witness.remove() }
        var configuration = IPMIConfiguration.testing
        configuration.executable = witness.executable
        let drivers = IPMIDrivers(configuration)
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            try await drivers.power.setPowerState(task, .on, timeout: nil)
            #expect(try await bmc.witnessedPower() == "on")
            #expect(witness.runs.count >= 2)
            for run in witness.runs {
                #expect(!run.contains(bmc.password))
                #expect(run.hasSuffix("| mode 600"))
            }
            for file in witness.passwordFiles { #expect(!FileManager.default.fileExists(atPath: file)) }
        }
    }

    @Test("a wrong password fails at once with the BMC and the cause named, and is not retried")
    func wrongPassword() async throws {
        let witness = try IPMIToolWitness()
        defer { witness.remove() }
        var configuration = IPMIConfiguration.testing
        configuration.executable = witness.executable
        configuration.commandRetryTimeout = .seconds(60)
        let drivers = IPMIDrivers(configuration)
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo(password: "not-the-password"))
            let error = await driverError { () async throws(DriverError) in _ = try await drivers.power.powerState(task) }
            let message = try #require(error?.message)
            #expect(message.contains(bmc.name))
            #expect(message.contains("password"))
            #expect(message.contains("credentials"))
            #expect(!message.contains("not-the-password"))
            #expect(witness.runs.count == 1)
            #expect(bmc.chassisPower == "0")
        }
    }

    @Test("an unknown user is a credentials failure too")
    func unknownUser() async throws {
        let drivers = IPMIDrivers()
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo(["ipmi_username": "nobody"]))
            let message = try #require(await driverError { () async throws(DriverError) in _ = try await drivers.power.powerState(task) }?.message)
            #expect(message.contains(bmc.name))
            #expect(message.contains("credentials"))
        }
    }

    @Test("a port where no BMC listens fails after bounded retries, saying how many attempts it made")
    func closedPort() async throws {
        let witness = try IPMIToolWitness()
        defer { witness.remove() }
        var configuration = IPMIConfiguration.testing
        configuration.executable = witness.executable
        configuration.commandRetryTimeout = .seconds(3)
        let drivers = IPMIDrivers(configuration)
        let port = try FreePorts.udp(1)[0]
        let task = try drivers.task(["ipmi_address": "127.0.0.1", "ipmi_port": .string(String(port)), "ipmi_username": "admin",
                                     "ipmi_password": "password", "ipmi_cipher_suite": 3])
        let message = try #require(await driverError { () async throws(DriverError) in _ = try await drivers.power.powerState(task) }?.message)
        #expect(message.contains("127.0.0.1:\(port)"))
        #expect(message.contains("did not answer"))
        // Each attempt waits for the BMC (~2 s with -N 1 -R 1); how many fit in the window
        // depends on the machine's load, but there is always a retry, the count is bounded,
        // and the message tells it.
        let runs = witness.runs.count
        #expect(message.contains("after \(runs) attempts"))
        #expect((2...10).contains(runs))
    }

    @Test("transient failures are retried, spaced, until the retry window closes; then the error says so")
    func transientFailuresAreRetried() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-flaky-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Answers at once as ipmitool does when a BMC has no session free.
        let flaky = "\(directory)/ipmitool"
        let script = "#!/bin/sh\necho run >> '\(directory)/runs'\necho 'Error: Unable to establish IPMI v2 / RMCP+ session' >&2\nexit 1\n"
        _ = FileManager.default.createFile(atPath: flaky, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        var configuration = IPMIConfiguration.testing
        configuration.executable = flaky
        configuration.commandRetryTimeout = .seconds(2)
        let drivers = IPMIDrivers(configuration)
        let task = try drivers.task(["ipmi_address": "127.0.0.1", "ipmi_port": 9, "ipmi_password": "x"])
        let message = try #require(await driverError { () async throws(DriverError) in _ = try await drivers.power.powerState(task) }?.message)
        let runs = ((try? String(contentsOfFile: "\(directory)/runs", encoding: .utf8)) ?? "").split(separator: "\n").count
        #expect(message.contains("127.0.0.1:9"))
        #expect(message.contains("after \(runs) attempts"))
        // Retried at least once, at least 200 ms apart within a 2 s window: never a storm.
        #expect((2...11).contains(runs))
    }

    @Test("ipmitool's diagnostics are sorted into credentials, transient and refused", arguments: [
        (1, "Loading IANA PEN Registry...\n> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n", "credentials"),
        (1, "RAKP 2 message indicates an error : unauthorized name\nError: Unable to establish IPMI v2 / RMCP+ session\n", "credentials"),
        (1, "Get Auth Capabilities error\nError issuing Get Channel Authentication Capabilities request\nError: Unable to establish IPMI v2 / RMCP+ session\n", "transient"),
        (1, "Error: Unable to establish IPMI v2 / RMCP+ session\n", "transient"),
        (1, "Activate Session error:\tInsufficient resources for session\n", "transient"),
        (1, "Set Chassis Power Control to Diag failed: Invalid data field in request\n", "refused"),
        (0, "Set Chassis Boot Parameter 5 failed: Unspecified error\n", "refused"),
        (0, "Loading IANA PEN Registry...\nRunning Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\nInvalid completion code received: Invalid command\n", "ok"),
    ] as [(Int32, String, String)])
    func classification(status: Int32, standardError: String, expected: String) {
        let failure = IPMIToolFailure.classify(status: status, standardError: standardError)
        switch failure {
        case nil: #expect(expected == "ok")
        case .credentials?: #expect(expected == "credentials")
        case .transient?: #expect(expected == "transient")
        case .refused?: #expect(expected == "refused")
        }
        #expect(failure?.isRetryable ?? false == (expected == "transient"))
    }

    @Test("a run killed on timeout counts as transient")
    func killedOnTimeout() {
        #expect(IPMIToolFailure.classify(status: nil, standardError: "") == .transient("ipmitool did not finish in time and was stopped"))
    }

    @Test("a run that outlives the command timeout is killed and reported")
    func commandTimeout() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-slow-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let slow = "\(directory)/ipmitool"
        _ = FileManager.default.createFile(atPath: slow, contents: Data("#!/bin/sh\nexec sleep 600\n".utf8), attributes: [.posixPermissions: 0o755])
        var configuration = IPMIConfiguration.testing
        configuration.executable = slow
        configuration.commandTimeout = .milliseconds(300)
        configuration.commandRetryTimeout = .milliseconds(500)
        let drivers = IPMIDrivers(configuration)
        let task = try drivers.task(["ipmi_address": "127.0.0.1", "ipmi_port": 9, "ipmi_password": "x"])
        let message = try #require(await driverError { () async throws(DriverError) in _ = try await drivers.power.powerState(task) }?.message)
        #expect(message.contains("127.0.0.1:9"))
        #expect(message.contains("did not finish in time"))
    }
}
