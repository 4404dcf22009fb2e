import Domain
import Drivers
import Foundation
import Testing

@Suite("ipmitool management against emulated BMCs")
struct IPMIManagementTests {
    let drivers = IPMIDrivers()

    /// ipmi_sim's name for each device in the chassis `boot` file.
    static let chassisName: [BootDevice: String] = [.pxe: "pxe", .disk: "default", .cdrom: "cdrom", .bios: "bios"]
    /// ipmitool's words for each device in `chassis bootparam get 5`.
    static let selector: [BootDevice: String] = [.pxe: "Force PXE", .disk: "Force Boot from default Hard-Drive",
                                                 .cdrom: "Force Boot from CD/DVD", .bios: "Force Boot into BIOS Setup"]

    @Test("each boot device, persistent or once, reaches the BMC and reads back", arguments: [true, false])
    func setAndGet(persistent: Bool) async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            for device in [BootDevice.pxe, .disk, .cdrom, .bios] {
                try await drivers.management.setBootDevice(task, device, persistent: persistent)
                #expect(bmc.chassisFile("boot") == Self.chassisName[device])
                #expect(try await bmc.ipmitool("chassis", "bootparam", "get", "5").contains(Self.selector[device]!))
                let (read, readPersistent) = try await drivers.management.bootDevice(task)
                #expect(read == device)
                // ipmi_sim keeps only the device and reports every override as for the next
                // boot; what reaches it for persistence is checked in `commandsForPersistence`.
                #expect(readPersistent == false)
            }
        }
    }

    @Test("several BMCs get their own boot devices at the same time")
    func severalBMCs() async throws {
        try await withSimulatedBMCs(3) { simulators in
            let devices: [BootDevice] = [.pxe, .disk, .cdrom]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (bmc, device) in zip(simulators.bmcs, devices) {
                    let task = try drivers.task(bmc.driverInfo())
                    group.addTask { try await drivers.management.setBootDevice(task, device, persistent: true) }
                }
                try await group.waitForAll()
            }
            for (bmc, device) in zip(simulators.bmcs, devices) { #expect(bmc.chassisFile("boot") == Self.chassisName[device]) }
        }
    }

    @Test("persistent adds options=persistent; the boot-flag timeout is switched off first unless told not to")
    func commandsForPersistence() throws {
        let task = try drivers.task(["ipmi_address": "10.1.2.3"])
        let info = try IPMIDriverInfo(task)
        #expect(try drivers.management.commands(task, .pxe, persistent: true, info: info) == [
            ["raw", "0x00", "0x08", "0x03", "0x08"], ["chassis", "bootdev", "pxe", "options=persistent"],
        ])
        #expect(try drivers.management.commands(task, .disk, persistent: false, info: info) == [
            ["raw", "0x00", "0x08", "0x03", "0x08"], ["chassis", "bootdev", "disk"],
        ])
        let keep = try drivers.task(["ipmi_address": "10.1.2.3", "ipmi_disable_boot_timeout": false])
        #expect(try drivers.management.commands(keep, .cdrom, persistent: false, info: IPMIDriverInfo(keep)) == [["chassis", "bootdev", "cdrom"]])
    }

    @Test("a UEFI node gets Ironic's raw Set System Boot Options bytes", arguments: ["boot_mode field", "instance_info", "capability"])
    func uefiCommands(source: String) throws {
        let configure: (inout Node) -> Void = switch source {
        case "boot_mode field": { $0.bootMode = .uefi }
        case "instance_info": { $0.instanceInfo = ["deploy_boot_mode": "uefi"] }
        default: { $0.properties = ["capabilities": "cpu_vt:true,boot_mode:uefi"] }
        }
        let task = try drivers.task(["ipmi_address": "10.1.2.3"], configure)
        #expect(drivers.management.bootMode(task.node) == .uefi, "boot mode from \(source)")
        let info = try IPMIDriverInfo(task)
        #expect(try drivers.management.commands(task, .pxe, persistent: true, info: info).last
            == ["raw", "0x00", "0x08", "0x05", "0xe0", "0x04", "0x00", "0x00", "0x00"])
        #expect(try drivers.management.commands(task, .disk, persistent: false, info: info).last
            == ["raw", "0x00", "0x08", "0x05", "0xa0", "0x08", "0x00", "0x00", "0x00"])
        #expect(try drivers.management.commands(task, .cdrom, persistent: false, info: info).last?[5] == "0x14")
        #expect(try drivers.management.commands(task, .bios, persistent: false, info: info).last?[5] == "0x18")
        #expect(try drivers.management.commands(task, .safe, persistent: false, info: info).last?[5] == "0x0c")
    }

    @Test("a UEFI node's boot device reaches the BMC through the raw command")
    func uefiAgainstBMC() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo()) { $0.bootMode = .uefi }
            try await drivers.management.setBootDevice(task, .pxe, persistent: true)
            #expect(bmc.chassisFile("boot") == "pxe")
            try await drivers.management.setBootDevice(task, .cdrom, persistent: false)
            #expect(bmc.chassisFile("boot") == "cdrom")
            #expect(try await drivers.management.bootDevice(task).device == .cdrom)
        }
    }

    @Test("a boot device the BMC refuses is an error even though ipmitool exits 0")
    func refusedDevice() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            try await drivers.management.setBootDevice(task, .pxe, persistent: false)
            // ipmi_sim has no safe mode: "Set Chassis Boot Parameter 5 failed", exit status 0.
            let message = try #require(await driverError { () async throws(DriverError) in
                try await drivers.management.setBootDevice(task, .safe, persistent: false)
            }?.message)
            #expect(message.contains(bmc.name))
            #expect(message.contains("Set Chassis Boot Parameter 5 failed"))
            #expect(bmc.chassisFile("boot") == "pxe")
        }
    }

    @Test("devices outside the supported list are refused before anything is sent")
    func unsupportedDevice() async throws {
        let task = try drivers.task(["ipmi_address": "127.0.0.1", "ipmi_port": 9])
        #expect(drivers.management.supportedBootDevices(task) == [.pxe, .disk, .cdrom, .bios, .safe])
        let message = try #require(await driverError { () async throws(DriverError) in
            try await drivers.management.setBootDevice(task, .floppy, persistent: false)
        }?.message)
        #expect(message.contains("Invalid boot device floppy"))
    }

    @Test("an NMI goes out as chassis power diag; a BMC without it refuses, named, with no retries")
    func nmi() async throws {
        try await withSimulatedBMCs { simulators in
            let bmc = simulators.bmcs[0]
            let task = try drivers.task(bmc.driverInfo())
            let message = try #require(await driverError { () async throws(DriverError) in try await drivers.management.injectNMI(task) }?.message)
            #expect(message.contains(bmc.name))
            #expect(message.contains("power diag"))
            #expect(message.contains("Invalid data field"))
            #expect(!message.contains("attempts"))
        }
    }

    @Test("chassis bootparam get 5 is read as Ironic reads it")
    func parsing() {
        let persistentPXE = """
        Boot parameter version: 1
        Boot parameter 5 is valid/unlocked
        Boot parameter data: e004000000
         Boot Flags :
           - Boot Flag Valid
           - Options apply to all future boots
           - BIOS EFI boot
           - Boot Device Selector : Force PXE
        """
        #expect(IPMIBootParameters.parse(persistentPXE) == (.pxe, true))
        #expect(IPMIBootParameters.parse("   - Options apply to only next boot\n   - Boot Device Selector : Force Boot from default Hard-Drive, request Safe-Mode\n") == (.safe, false))
        #expect(IPMIBootParameters.parse("   - Boot Device Selector : Force Boot from default Hard-Drive\n") == (.disk, false))
        #expect(IPMIBootParameters.parse("   - Boot Device Selector : Force Boot into BIOS Setup\n") == (.bios, false))
        #expect(IPMIBootParameters.parse("   - Boot Device Selector : Force Boot from CD/DVD\n") == (.cdrom, false))
        #expect(IPMIBootParameters.parse("   - Boot Device Selector : No override\n") == (nil, false))
    }
}
