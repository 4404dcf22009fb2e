import Domain
import Drivers
import Engine
import Foundation
import Testing

/// What the driver says when the BMC is gone, slow, or answers badly.
@Suite("Redfish faults", .serialized)
struct RedfishFaultTests {
    @Test("a closed port: unreachable, after the configured number of attempts")
    func closedPort() async throws {
        let port = try LoopbackPort.free()
        let power = RedfishPower(configuration: testConfiguration)
        let task = try redfishTask(["redfish_address": .string("http://127.0.0.1:\(port)"), "redfish_system_id": "/redfish/v1/Systems/1"])
        let error = await driverError { () async throws(DriverError) in _ = try await power.powerState(task) }
        #expect(error?.message.contains("http://127.0.0.1:\(port)/redfish/v1/Systems/1") == true, "\(String(describing: error))")
        #expect(error?.message.contains("unreachable") == true)
        #expect(error?.message.contains("(3 attempts)") == true)
    }

    @Test("the emulator stopped while the driver waits for a power change: a DriverError, no hang")
    func emulatorStoppedMidOperation() async throws {
        var options = EmulatorOptions()
        options.powerDelay = 3600
        try await withEmulator(options) { emulator in
            var configuration = testConfiguration
            configuration.powerStateChangeTimeout = .seconds(600)
            let power = RedfishPower(configuration: configuration)
            let task = try redfishTask(emulator.driverInfo(system: 1))
            let operation = Task { () -> DriverError? in
                do throws(DriverError) { try await power.setPowerState(task, .on, timeout: nil) } catch { return error }
                return nil
            }
            // Once the reset is posted, the driver is polling PowerState: stop the BMC under it.
            var posted = false
            for _ in 0..<600 where !posted {
                posted = emulator.log.contains("POST \(emulator.systemPath(1))/Actions/ComputerSystem.Reset")
                if !posted { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(posted, "the driver never posted the reset")
            await emulator.stop()
            let error = await operation.value
            #expect(error != nil)
            #expect(error?.message.contains(emulator.address) == true, "\(String(describing: error))")
            #expect(error?.message.contains("unreachable") == true || error?.message.contains("connection") == true)
        }
    }

    @Test("the BMC's error messages reach the DriverError: JSON error.message and plain text")
    func errorMessages() async throws {
        try await withEmulator { emulator in
            let client = try RedfishClient(try RedfishDriverInfo(info: { emulator.driverInfo(system: 1)[$0]?.stringValue }), configuration: testConfiguration)
            let notFound = await driverError { () async throws(DriverError) in _ = try await client.get("/redfish/v1/Systems/nope") }
            #expect(notFound?.message.contains("HTTP 404") == true, "\(String(describing: notFound))")
            #expect(notFound?.message.contains("Fake system nope was not found") == true)
            #expect(notFound?.message.contains("\(emulator.address)/redfish/v1/Systems/nope") == true)

            // sushy answers this in plain text (under a JSON content type).
            let plain = await driverError { () async throws(DriverError) in try await client.patch(emulator.systemPath(1), ["Foo": 1]) }
            #expect(plain?.message.contains("HTTP 400") == true, "\(String(describing: plain))")
            #expect(plain?.message.contains("PATCH only works for Boot and IndicatorLED elements") == true)

            let unsupported = await driverError { () async throws(DriverError) in
                try await client.post(emulator.systemPath(1) + "/Actions/ComputerSystem.Reset", ["ResetType": "Bogus"])
            }
            #expect(unsupported?.message.contains("HTTP 501") == true)
            #expect(unsupported?.message.contains("Power state Bogus is not supported") == true)
        }
    }

    @Test("malformed JSON from a BMC is reported as such, with the URL")
    func malformedJSON() async throws {
        try await withHTTPServer(files: ["redfish/v1/Systems/1": Data("{\"PowerState\": \"On\",".utf8),
                                         "redfish/v1/Systems/2": Data("<html><body>Service Unavailable</body></html>".utf8)]) { server in
            let power = RedfishPower(configuration: testConfiguration)
            let task = try redfishTask(["redfish_address": .string(server.baseURL), "redfish_system_id": "/redfish/v1/Systems/1"])
            let error = await driverError { () async throws(DriverError) in _ = try await power.powerState(task) }
            #expect(error?.message.contains("malformed JSON") == true, "\(String(describing: error))")
            #expect(error?.message.contains("\(server.baseURL)/redfish/v1/Systems/1") == true)

            let html = try redfishTask(["redfish_address": .string(server.baseURL), "redfish_system_id": "/redfish/v1/Systems/2"])
            let htmlError = await driverError { () async throws(DriverError) in _ = try await power.powerState(html) }
            #expect(htmlError?.message.contains("malformed JSON") == true)
            #expect(htmlError?.message.contains("Service Unavailable") == true)
        }
    }

    @Test("5xx: GETs retried up to the limit, a failed reset POST not repeated, a 503 POST retried")
    func serverErrors() async throws {
        func system(_ id: Int, _ state: String) -> String {
            "{\"@odata.id\": \"/redfish/v1/Systems/\(id)\", \"PowerState\": \"\(state)\"}"
        }
        let busy = "{\"error\": {\"code\": \"Base.1.0.GeneralError\", \"message\": \"BMC busy\"}}"
        let answers: [String: [(status: Int, body: String)]] = [
            "GET /redfish/v1/Systems/1": [(503, busy), (502, "Bad gateway"), (200, system(1, "On"))],
            "GET /redfish/v1/Systems/2": [(500, busy)],
            "GET /redfish/v1/Systems/3": [(200, system(3, "Off"))],
            "POST /redfish/v1/Systems/3/Actions/ComputerSystem.Reset": [(500, busy)],
            "GET /redfish/v1/Systems/4": [(200, system(4, "Off")), (200, system(4, "On"))],
            "POST /redfish/v1/Systems/4/Actions/ComputerSystem.Reset": [(503, busy), (204, "")],
        ]
        try await withHTTPServer(answers: answers) { server in
            let power = RedfishPower(configuration: testConfiguration)
            func task(_ id: Int) throws -> DriverTask {
                try redfishTask(["redfish_address": .string(server.baseURL), "redfish_system_id": .string("/redfish/v1/Systems/\(id)")])
            }
            func count(_ key: String) -> Int { server.requests.filter { $0.hasPrefix(key + " ") }.count }

            #expect(try await power.powerState(try task(1)) == .on)
            #expect(count("GET /redfish/v1/Systems/1") == 3)

            let second = try task(2)
            let failed = await driverError { () async throws(DriverError) in _ = try await power.powerState(second) }
            #expect(failed?.message.contains("HTTP 500") == true, "\(String(describing: failed))")
            #expect(failed?.message.contains("BMC busy") == true)
            #expect(count("GET /redfish/v1/Systems/2") == 3, "connection_attempts bounds the retries")

            let third = try task(3)
            let reset = await driverError { () async throws(DriverError) in try await power.setPowerState(third, .on, timeout: nil) }
            #expect(reset?.message.contains("HTTP 500") == true)
            #expect(count("POST /redfish/v1/Systems/3/Actions/ComputerSystem.Reset") == 1, "a reset that may have run is not repeated")

            try await power.setPowerState(try task(4), .on, timeout: nil)
            #expect(count("POST /redfish/v1/Systems/4/Actions/ComputerSystem.Reset") == 2)
        }
    }

    @Test("driver_info is checked without contacting the BMC")
    func driverInfo() throws {
        let info = try RedfishDriverInfo(info: { ["redfish_address": "10.0.0.5/redfish/v1/", "redfish_system_id": "1"][$0] })
        #expect(info.address == "https://10.0.0.5")
        #expect(info.systemID == "/redfish/v1/Systems/1")
        #expect(info.certificateCheck == .system)
        let plain = try RedfishDriverInfo(info: { ["redfish_address": "http://[::1]:8000", "redfish_verify_ca": "False"][$0] })
        #expect(plain.address == "http://[::1]:8000")
        #expect(plain.systemID == nil)
        #expect(plain.certificateCheck == RedfishDriverInfo.CertificateCheck.none)
        #expect(throws: DriverError.self) { try RedfishDriverInfo(info: { _ in nil }) }
        #expect(throws: DriverError.self) { try RedfishDriverInfo(info: { ["redfish_address": "ftp://x"][$0] }) }
        #expect(throws: DriverError.self) { try RedfishDriverInfo(info: { ["redfish_address": "https://x", "redfish_auth_type": "session"][$0] }) }
    }
}
