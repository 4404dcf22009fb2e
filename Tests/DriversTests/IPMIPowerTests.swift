import Domain
import Drivers
import Foundation
import Testing

@Suite("ipmitool power against emulated BMCs")
struct IPMIPowerTests {
    let drivers = IPMIDrivers()

    @Test("power on and off change each of several BMCs at once, as ipmitool itself sees it")
    func onAndOffOnSeveralBMCs() async throws {
        try await withSimulatedBMCs(3) { simulators in
            let tasks = try simulators.bmcs.map { try drivers.task($0.driverInfo()) }
            for bmc in simulators.bmcs { #expect(try await bmc.witnessedPower() == "off") }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in tasks { group.addTask { try await drivers.power.setPowerState(task, .on, timeout: nil) } }
                try await group.waitForAll()
            }
            for (bmc, task) in zip(simulators.bmcs, tasks) {
                #expect(bmc.chassisPower == "1")
                #expect(try await bmc.witnessedPower() == "on")
                #expect(try await drivers.power.powerState(task) == .on)
            }

            try await drivers.power.setPowerState(tasks[1], .off, timeout: nil)
            #expect(try await simulators.bmcs[1].witnessedPower() == "off")
            #expect(try await simulators.bmcs[0].witnessedPower() == "on")
            #expect(try await simulators.bmcs[2].witnessedPower() == "on")
            #expect(try await drivers.power.powerState(tasks[1]) == .off)
        }
    }

    @Test("a reboot of a powered node is power off, then power on")
    func rebootIsOffThenOn() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            try await drivers.power.setPowerState(task, .on, timeout: nil)
            try await drivers.power.setPowerState(task, .rebooting, timeout: nil)
            #expect(bmc.changes == ["set power 1", "set power 0", "set power 1"])
            #expect(try await bmc.witnessedPower() == "on")
        }
    }

    @Test("a reboot of a node that is off only powers it on")
    func rebootFromOff() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            try await drivers.power.setPowerState(try drivers.task(bmc.driverInfo()), .rebooting, timeout: nil)
            #expect(bmc.changes == ["set power 1"])
            #expect(try await bmc.witnessedPower() == "on")
        }
    }

    @Test("soft power off asks the OS to shut down (chassis power soft) and waits for off")
    func softOff() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            try await drivers.power.setPowerState(task, .on, timeout: nil)
            try await drivers.power.setPowerState(task, .softOff, timeout: 5)
            #expect(bmc.changes.last == "set shutdown 1")
            #expect(try await bmc.witnessedPower() == "off")
        }
    }

    @Test("a soft reboot is soft power off, then power on")
    func softReboot() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            try await drivers.power.setPowerState(task, .on, timeout: nil)
            try await drivers.power.setPowerState(task, .softRebooting, timeout: nil)
            #expect(bmc.changes == ["set power 1", "set shutdown 1", "set power 1"])
            #expect(try await bmc.witnessedPower() == "on")
        }
    }

    @Test("a hard reset resets the node and leaves its power as it was")
    func reset() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            try await drivers.power.setPowerState(task, .on, timeout: nil)
            try await drivers.power.reset(task)
            #expect(bmc.changes.last == "set reset 1")
            #expect(bmc.chassisFile("resets") != nil)
            #expect(try await bmc.witnessedPower() == "on")
        }
    }

    @Test("a BMC that accepts power on and never changes state ends in an error after the timeout")
    func stuckBMCTimesOut() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            try bmc.setStuck(true)
            let task = try drivers.task(bmc.driverInfo())
            let error = await driverError { () async throws(DriverError) in try await drivers.power.setPowerState(task, .on, timeout: 1) }
            let message = try #require(error?.message)
            #expect(message.contains(bmc.name))
            #expect(message.contains("still reports power off"))
            #expect(bmc.changes == ["set power 1"])
            #expect(try await bmc.witnessedPower() == "off")
        }
    }

    @Test("a BMC that goes away while the driver waits for power on ends in an error, not a hang")
    func emulatorStoppedMidOperation() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            try bmc.setStuck(true)
            let task = try drivers.task(bmc.driverInfo())
            let power = drivers.power
            let operation = Task { () async -> DriverError? in
                await driverError { () async throws(DriverError) in try await power.setPowerState(task, .on, timeout: 300) }
            }
            while !bmc.changes.contains("set power 1") { try await Task.sleep(for: .milliseconds(20)) }
            await simulators.stopEmulators()
            let message = try #require(await operation.value?.message)
            #expect(message.contains(bmc.name))
            #expect(message.contains("did not answer"))
        }
    }

    @Test("power_state is error when the BMC answers something unexpected")
    func unexpectedStatus() {
        #expect(IPMIPower.parsePowerState("Chassis Power is on\n") == .on)
        #expect(IPMIPower.parsePowerState("Chassis Power is off\n") == .off)
        #expect(IPMIPower.parsePowerState("Chassis Power is unknown\n") == .error)
    }

    @Test("it supports every power target")
    func targets() throws {
        let task = try drivers.task(["ipmi_address": "10.0.0.1"])
        #expect(Set(drivers.power.supportedTargets(task)) == Set(PowerTarget.allCases))
    }
}
