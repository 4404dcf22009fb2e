import Domain
import Drivers
import Foundation
import Testing

/// `redfish` power against a real sushy-emulator: every target changes the emulator's own
/// `PowerState`, read directly, and only on the node's system.
@Suite("Redfish power", .serialized)
struct RedfishPowerTests {
    let power = RedfishPower(configuration: testConfiguration)

    @Test("on, off, reboots and soft actions change the emulator's PowerState")
    func powerActions() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            #expect(try await emulator.powerState(1) == "Off")
            #expect(try await power.powerState(task) == .off)

            try await power.setPowerState(task, .on, timeout: nil)
            #expect(try await emulator.powerState(1) == "On")
            #expect(try await power.powerState(task) == .on)
            #expect(try await emulator.powerState(2) == "Off", "only the node's own system changes")

            try await power.setPowerState(task, .off, timeout: nil)
            #expect(try await emulator.powerState(1) == "Off")

            try await power.setPowerState(task, .rebooting, timeout: nil)   // from off: On
            #expect(try await emulator.powerState(1) == "On")
            try await power.setPowerState(task, .rebooting, timeout: nil)   // from on: ForceRestart
            #expect(try await emulator.powerState(1) == "On")
            #expect(emulator.log.contains("ComputerSystem.Reset"))

            try await power.setPowerState(task, .softOff, timeout: nil)     // GracefulShutdown
            #expect(try await emulator.powerState(1) == "Off")
            try await power.setPowerState(task, .softRebooting, timeout: 10) // from off: On
            #expect(try await emulator.powerState(1) == "On")
            try await power.setPowerState(task, .softRebooting, timeout: 10) // from on: GracefulRestart
            #expect(try await emulator.powerState(1) == "On")
            #expect(try await emulator.powerState(2) == "Off")
        }
    }

    @Test("the reset types follow Ironic's mapping")
    func resetTypes() {
        #expect(RedfishPower.resetType(for: .on, current: .off) == "On")
        #expect(RedfishPower.resetType(for: .on, current: .on) == nil)
        #expect(RedfishPower.resetType(for: .off, current: .on) == "ForceOff")
        #expect(RedfishPower.resetType(for: .softOff, current: .on) == "GracefulShutdown")
        #expect(RedfishPower.resetType(for: .rebooting, current: .on) == "ForceRestart")
        #expect(RedfishPower.resetType(for: .rebooting, current: .off) == "On")
        #expect(RedfishPower.resetType(for: .softRebooting, current: .on) == "GracefulRestart")
        #expect(RedfishPower.resetType(for: .softRebooting, current: .off) == "On")
    }

    @Test("the only system is used when redfish_system_id is absent")
    func onlySystem() async throws {
        var options = EmulatorOptions()
        options.systems = 1
        try await withEmulator(options) { emulator in
            let task = try redfishTask(emulator.driverInfo(system: nil))
            try await power.setPowerState(task, .on, timeout: nil)
            #expect(try await emulator.powerState(1) == "On")
        }
    }

    @Test("with several systems and no redfish_system_id, the error lists them")
    func severalSystemsNeedAnID() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: nil))
            let error = await driverError { () async throws(DriverError) in _ = try await power.powerState(task) }
            #expect(error?.message.contains("redfish_system_id") == true)
            #expect(error?.message.contains(emulator.uuid(2)) == true)
        }
    }

    @Test("a system named by its name is followed through the 307 to its @odata.id, POST included")
    func systemByName() async throws {
        try await withEmulator { emulator in
            var info = emulator.driverInfo(system: nil)
            info["redfish_system_id"] = "/redfish/v1/Systems/node-0-2"
            let task = try redfishTask(info)
            try await power.setPowerState(task, .on, timeout: nil)
            #expect(try await emulator.powerState(2) == "On")
            #expect(try await emulator.powerState(1) == "Off")
        }
    }

    @Test("a bare system id is taken as /redfish/v1/Systems/<id>")
    func bareSystemID() async throws {
        try await withEmulator { emulator in
            var info = emulator.driverInfo(system: nil)
            info["redfish_system_id"] = .string(emulator.uuid(2))
            let task = try redfishTask(info)
            try await power.setPowerState(task, .on, timeout: nil)
            #expect(try await emulator.powerState(2) == "On")
        }
    }

    @Test("a power change the BMC accepts but never shows fails after the timeout, naming it")
    func powerChangeThatNeverHappens() async throws {
        var options = EmulatorOptions()
        options.powerDelay = 3600
        var configuration = testConfiguration
        configuration.powerStateChangeTimeout = .seconds(1)
        let power = RedfishPower(configuration: configuration)
        try await withEmulator(options) { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            let error = await driverError { () async throws(DriverError) in try await power.setPowerState(task, .on, timeout: nil) }
            #expect(error?.message.contains("Timed out after 1.0 seconds") == true, "\(String(describing: error))")
            #expect(error?.message.contains("power on") == true)
            #expect(error?.message.contains(emulator.systemPath(1)) == true)
            #expect(try await emulator.powerState(1) == "Off")

            // The request's own timeout wins over the configured one.
            let explicit = await driverError { () async throws(DriverError) in try await power.setPowerState(task, .rebooting, timeout: 2) }
            #expect(explicit?.message.contains("Timed out after 2.0 seconds") == true, "\(String(describing: explicit))")
        }
    }
}
