import Domain
import Drivers
import Foundation
import Testing

/// `redfish-virtual-media` boot against a real sushy-emulator, which downloads the image from
/// a local HTTP server into its virtual CD.
@Suite("Redfish virtual media boot", .serialized)
struct RedfishVirtualMediaTests {
    let boot = RedfishVirtualMediaBoot(configuration: testConfiguration)
    static let image = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    func cd(_ emulator: RedfishEmulator, _ system: Int = 1) async throws -> JSONValue {
        try await emulator.directGET(emulator.systemPath(system) + "/VirtualMedia/Cd")
    }

    @Test("the deploy ISO is inserted and booted once, then ejected")
    func ramdisk() async throws {
        try await withHTTPServer(files: ["deploy.iso": Self.image]) { server in
            try await withEmulator { emulator in
                var info = emulator.driverInfo(system: 1)
                info["redfish_deploy_iso"] = .string(server.baseURL + "/deploy.iso")
                let task = try redfishTask(info, boot: "redfish-virtual-media")
                #expect(task.driver.boot?.name == "redfish-virtual-media")
                try boot.validate(task)

                try await boot.prepareRamdisk(task)
                var media = try await cd(emulator)
                #expect(media["Inserted"]?.boolValue == true)
                #expect(media["Image"]?.stringValue == server.baseURL + "/deploy.iso")
                #expect(media["ImageName"]?.stringValue == "deploy.iso")
                #expect(try await emulator.directGET(emulator.systemPath(1))["Boot"]?["BootSourceOverrideTarget"]?.stringValue == "Cd")

                try await boot.prepareRamdisk(task) // the same image again: left as it is
                #expect(try await cd(emulator)["Inserted"]?.boolValue == true)

                try await boot.cleanUpRamdisk(task)
                media = try await cd(emulator)
                #expect(media["Inserted"]?.boolValue == false)
                try await boot.cleanUpRamdisk(task) // nothing inserted: nothing to do
                #expect(try await cd(emulator, 2)["Inserted"]?.boolValue == false)
            }
        }
    }

    @Test("an instance ISO replaces the deploy ISO; a local-disk instance ejects it and boots from Hdd")
    func instance() async throws {
        try await withHTTPServer(files: ["deploy.iso": Self.image, "instance.iso": Self.image]) { server in
            try await withEmulator { emulator in
                var info = emulator.driverInfo(system: 1)
                info["redfish_deploy_iso"] = .string(server.baseURL + "/deploy.iso")
                let withISO = try redfishTask(info, instanceInfo: ["boot_iso": .string(server.baseURL + "/instance.iso")],
                                              boot: "redfish-virtual-media")
                try await boot.prepareRamdisk(withISO)
                try await boot.prepareInstance(withISO)
                #expect(try await cd(emulator)["Image"]?.stringValue == server.baseURL + "/instance.iso")
                #expect(try await emulator.directGET(emulator.systemPath(1))["Boot"]?["BootSourceOverrideTarget"]?.stringValue == "Cd")
                try await boot.cleanUpInstance(withISO)
                #expect(try await cd(emulator)["Inserted"]?.boolValue == false)

                try await boot.prepareRamdisk(withISO)
                let localDisk = try redfishTask(info, instanceInfo: ["image_source": .string(server.baseURL + "/disk.qcow2")],
                                                boot: "redfish-virtual-media")
                try await boot.prepareInstance(localDisk)
                #expect(try await cd(emulator)["Inserted"]?.boolValue == false)
                #expect(try await emulator.directGET(emulator.systemPath(1))["Boot"]?["BootSourceOverrideTarget"]?.stringValue == "Hdd")
            }
        }
    }

    @Test("an image the BMC cannot download fails with the BMC's words; no deploy ISO fails validation")
    func failures() async throws {
        try await withHTTPServer(files: ["deploy.iso": Self.image]) { server in
            try await withEmulator { emulator in
                var info = emulator.driverInfo(system: 1)
                info["redfish_deploy_iso"] = .string(server.baseURL + "/missing.iso")
                let task = try redfishTask(info, boot: "redfish-virtual-media")
                let error = await driverError { () async throws(DriverError) in try await boot.prepareRamdisk(task) }
                #expect(error?.message.contains("HTTP 400") == true, "\(String(describing: error))")
                #expect(error?.message.contains("Cannot download virtual media") == true)
                #expect(error?.message.contains("VirtualMedia.InsertMedia") == true)

                let bare = try redfishTask(emulator.driverInfo(system: 1), boot: "redfish-virtual-media")
                #expect(throws: DriverError.self) { try boot.validate(bare) }
                let missing = await driverError { () async throws(DriverError) in try await boot.prepareRamdisk(bare) }
                #expect(missing?.message.contains("redfish_deploy_iso") == true)
            }
        }
    }
}
