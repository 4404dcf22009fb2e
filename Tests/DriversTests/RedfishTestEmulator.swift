import Domain
import Drivers
import Engine
import Foundation
import Testing

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
            let port = try LoopbackPort.free()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-sushy-\(UUID().uuidString)").path
            var arguments = [script, "start", "--port", String(port), "--state-dir", directory, "--systems", String(options.systems),
                             "--instance", String(options.instance), "--owner-pid", String(ProcessInfo.processInfo.processIdentifier)]
            if let credentials = options.credentials { arguments += ["--user", credentials.user, "--password", credentials.password] }
            if options.tls { arguments.append("--tls") }
            if let delay = options.powerDelay { arguments += ["--power-delay", String(delay)] }
            if options.fakeBIOS { arguments.append("--fake-bios") }
            let output = try await runProcess("bash", arguments)
            let values = Dictionary(output.standardOutput.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            }, uniquingKeysWith: { $1 })
            if output.status == 0, let url = values["url"] {
                return RedfishEmulator(options: options, port: port, address: url, stateDirectory: directory, certificate: values["cert"])
            }
            _ = try? await runProcess("bash", [script, "stop", "--state-dir", directory, "--wipe"])
            failures.append("port \(port): exit \(output.status)\n\(output.standardError)")
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
        _ = try? await runProcess("bash", [Self.script, "stop", "--state-dir", stateDirectory, "--wipe"])
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
        let output = try await runProcess("python3", ["-c", script, address + path, options.credentials?.user ?? "",
                                           options.credentials?.password ?? "", certificate ?? ""])
        guard output.status == 0 else { throw SupportError("direct GET \(path) failed: \(output.standardError)") }
        return try JSONParser.parse(Data(output.standardOutput.utf8))
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
