import Domain
import Drivers
import Foundation
import Testing

/// `redfish` BIOS: against the launcher's fake BIOS, and against stock sushy, which has none.
@Suite("Redfish BIOS", .serialized)
struct RedfishBIOSTests {
    let bios = RedfishBIOS(configuration: testConfiguration)

    func attributes(_ emulator: RedfishEmulator) async throws -> JSONValue? {
        try await emulator.directGET(emulator.systemPath(1) + "/BIOS")["Attributes"]
    }

    @Test("apply_configuration and factory_reset change the emulator's BIOS")
    func steps() async throws {
        var options = EmulatorOptions()
        options.fakeBIOS = true
        try await withEmulator(options) { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            #expect(bios.steps(for: .clean, task).map(\.name) == ["apply_configuration", "factory_reset"])
            #expect(try await attributes(emulator)?["ProcTurboMode"] == "Enabled")

            let apply = Step(.bios, "apply_configuration", priority: 0, args: ["settings": [["name": "ProcTurboMode", "value": "Disabled"]]])
            #expect(try await bios.execute(apply, phase: .clean, task) == .done)
            #expect(try await attributes(emulator)?["ProcTurboMode"] == "Disabled")
            #expect(try await bios.attributes(task)["ProcTurboMode"] == "Disabled")

            #expect(try await bios.execute(Step(.bios, "factory_reset", priority: 0), phase: .clean, task) == .done)
            #expect(try await attributes(emulator)?["ProcTurboMode"] == "Enabled")

            let bad = Step(.bios, "apply_configuration", priority: 0, args: ["settings": [["value": "x"]]])
            let error = await driverError { () async throws(DriverError) in _ = try await bios.execute(bad, phase: .clean, task) }
            #expect(error?.message.contains("\"name\"") == true)
        }
    }

    @Test("a BMC without BIOS support fails the steps with a clear error")
    func unsupported() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            let apply = Step(.bios, "apply_configuration", priority: 0, args: ["settings": [["name": "ProcTurboMode", "value": "Disabled"]]])
            let error = await driverError { () async throws(DriverError) in _ = try await bios.execute(apply, phase: .clean, task) }
            #expect(error?.message.contains("does not support BIOS settings") == true, "\(String(describing: error))")
            let reset = await driverError { () async throws(DriverError) in
                _ = try await bios.execute(Step(.bios, "factory_reset", priority: 0), phase: .clean, task)
            }
            #expect(reset?.message.contains("Cannot reset the BIOS") == true)

            // Asked for anyway, stock sushy answers 501: the client says so, with the BMC's words.
            let client = try RedfishClient(task, configuration: testConfiguration)
            let direct = await driverError { () async throws(DriverError) in _ = try await client.get(emulator.systemPath(1) + "/BIOS") }
            #expect(direct?.message.contains("HTTP 501") == true, "\(String(describing: direct))")
            #expect(direct?.message.contains("Not implemented") == true)
            #expect(try await client.getIfPresent(emulator.systemPath(1) + "/BIOS") == nil)
        }
    }
}
