import Domain
import Drivers
import Foundation
import Testing

/// `redfish` management against a real sushy-emulator: the boot override target and boot
/// mode, checked in the emulator's own `Boot` object.
@Suite("Redfish management", .serialized)
struct RedfishManagementTests {
    let management = RedfishManagement(configuration: testConfiguration)

    @Test("boot device set and read back, once and continuous")
    func bootDevice() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            for (device, target) in [(BootDevice.pxe, "Pxe"), (.disk, "Hdd"), (.cdrom, "Cd")] {
                for persistent in [false, true] {
                    try await management.setBootDevice(task, device, persistent: persistent)
                    let boot = try await emulator.directGET(emulator.systemPath(1))["Boot"]
                    #expect(boot?["BootSourceOverrideTarget"]?.stringValue == target)
                    let read = try await management.bootDevice(task)
                    #expect(read.device == device)
                    // sushy's fake driver ignores BootSourceOverrideEnabled and always reports
                    // Continuous, so only what the driver reads can be checked here.
                    #expect(read.persistent == (boot?["BootSourceOverrideEnabled"]?.stringValue == "Continuous"))
                }
            }
            #expect(try await emulator.directGET(emulator.systemPath(2))["Boot"]?["BootSourceOverrideTarget"]?.stringValue == "Hdd",
                    "the other system keeps its boot device")
        }
    }

    @Test("devices the BMC does not allow are refused before any PATCH")
    func disallowedDevice() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            #expect(try await management.supportedBootDevices(reading: task) == [.pxe, .disk, .cdrom, .uefihttp])
            let error = await driverError { () async throws(DriverError) in try await management.setBootDevice(task, .bios, persistent: false) }
            #expect(error?.message.contains("does not allow boot device bios") == true, "\(String(describing: error))")
            #expect(error?.message.contains("Pxe, Cd, Hdd, UefiHttp") == true)
            let unsupported = await driverError { () async throws(DriverError) in try await management.setBootDevice(task, .wanboot, persistent: false) }
            #expect(unsupported?.message.contains("not supported") == true)
            #expect(!emulator.log.contains("PATCH"))
        }
    }

    @Test("boot mode read and set: UEFI and Legacy")
    func bootMode() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            #expect(try await management.bootMode(task) == .uefi)
            try await management.setBootMode(task, .bios)
            #expect(try await emulator.directGET(emulator.systemPath(1))["Boot"]?["BootSourceOverrideMode"]?.stringValue == "Legacy")
            #expect(try await management.bootMode(task) == .bios)
            try await management.setBootMode(task, .uefi)
            #expect(try await emulator.directGET(emulator.systemPath(1))["Boot"]?["BootSourceOverrideMode"]?.stringValue == "UEFI")
        }
    }
}
