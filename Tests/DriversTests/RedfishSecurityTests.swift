import Domain
import Drivers
import Foundation
import Testing

/// Basic auth and HTTPS against a real sushy-emulator.
@Suite("Redfish authentication and TLS", .serialized)
struct RedfishSecurityTests {
    let power = RedfishPower(configuration: testConfiguration)
    let inspect = RedfishInspect(configuration: testConfiguration)

    /// How many requests the emulator answered with `status`.
    func answered(_ status: Int, in emulator: RedfishEmulator) -> Int {
        // Werkzeug colours 4xx lines inside the quotes: match the status after the closing quote.
        emulator.log.split(separator: "\n").filter { $0.contains("\" \(status) ") }.count
    }

    @Test("with basic auth: the right credentials work")
    func basicAuth() async throws {
        var options = EmulatorOptions()
        options.credentials = ("admin", "s3cret pass")
        try await withEmulator(options) { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            try await power.setPowerState(task, .on, timeout: nil)
            #expect(try await emulator.powerState(1) == "On")
            let inventory = try await inspect.inventory(task)
            #expect(inventory["interfaces"]?.arrayValue?.count == 2)
            #expect(answered(401, in: emulator) == 0)
        }
    }

    @Test("wrong or missing credentials: an authentication error after one request, no retries")
    func wrongCredentials() async throws {
        var options = EmulatorOptions()
        options.credentials = ("admin", "right")
        try await withEmulator(options) { emulator in
            var info = emulator.driverInfo(system: 1)
            info["redfish_password"] = "wrong"
            let wrong = try redfishTask(info)
            let error = await driverError { () async throws(DriverError) in _ = try await power.powerState(wrong) }
            #expect(error?.message.contains("Authentication with the Redfish BMC failed (HTTP 401") == true, "\(String(describing: error))")
            #expect(error?.message.contains("Incorrect username or password") == true)
            #expect(error?.message.contains(emulator.address) == true)
            #expect(answered(401, in: emulator) == 1)

            info["redfish_username"] = nil
            info["redfish_password"] = nil
            let anonymousTask = try redfishTask(info)
            let anonymous = await driverError { () async throws(DriverError) in _ = try await power.powerState(anonymousTask) }
            #expect(anonymous?.message.contains("HTTP 401") == true)
            #expect(anonymous?.message.contains("Authorization required") == true)
            #expect(answered(401, in: emulator) == 2)
            #expect(try await emulator.powerState(1) == "Off")
        }
    }

    @Test("HTTPS (TLS 1.2) with redfish_verify_ca naming the emulator's certificate")
    func httpsWithCA() async throws {
        var options = EmulatorOptions()
        options.tls = true
        options.credentials = ("admin", "password")
        try await withEmulator(options) { emulator in
            #expect(emulator.address.hasPrefix("https://127.0.0.1:"))
            let task = try redfishTask(emulator.driverInfo(system: 1))
            try await power.setPowerState(task, .on, timeout: nil)
            #expect(try await emulator.powerState(1) == "On")
            #expect(try await inspect.inventory(task)["cpu"]?["count"] == 4)

            // The directory holding the certificate works as a CA bundle too.
            var info = emulator.driverInfo(system: 1)
            info["redfish_verify_ca"] = .string(emulator.stateDirectory)
            let directoryTask = try redfishTask(info)
            #expect(try await power.powerState(directoryTask) == .on)

            // Not verifying at all also connects.
            info["redfish_verify_ca"] = false
            let unverifiedTask = try redfishTask(info)
            #expect(try await power.powerState(unverifiedTask) == .on)

            // The system's CAs do not know the self-signed certificate: a TLS error, not retried.
            info["redfish_verify_ca"] = true
            let systemCATask = try redfishTask(info)
            let error = await driverError { () async throws(DriverError) in _ = try await power.powerState(systemCATask) }
            #expect(error?.message.contains("TLS") == true, "\(String(describing: error))")
            #expect(error?.message.contains("redfish_verify_ca") == true)
            #expect(error?.message.contains("attempts") == false)
        }
    }

    @Test("redfish_verify_ca naming a missing file fails validation")
    func missingCABundle() throws {
        let task = try redfishTask(["redfish_address": "https://127.0.0.1:9", "redfish_verify_ca": "/nonexistent/ca.pem"])
        #expect(throws: DriverError.self) { try power.validate(task) }
    }
}
