import Domain
import Drivers
import Foundation
import Testing

/// `redfish` management's virtual media, secure boot and boot mode, and `redfish` BIOS's
/// settings report, against a real sushy-emulator.
@Suite("Redfish virtual media, secure boot, BIOS settings", .serialized)
struct RedfishManagementCapabilitiesTests {
    let management = RedfishManagement(configuration: testConfiguration)
    static let image = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })

    @Test("attach inserts into the device of the type (cdrom → Cd, disk → the USB stick device); detach ejects")
    func virtualMedia() async throws {
        try await withHTTPServer(files: ["a.iso": Self.image, "b.img": Self.image]) { server in
            try await withEmulator { emulator in
                let task = try redfishTask(emulator.driverInfo(system: 1))
                let cdPath = emulator.systemPath(1) + "/VirtualMedia/Cd"
                try await management.attachVirtualMedia(task, VirtualMedia(deviceType: .cdrom, imageURL: server.baseURL + "/a.iso"))
                var cd = try await emulator.directGET(cdPath)
                #expect(cd["Inserted"]?.boolValue == true)
                #expect(cd["Image"]?.stringValue == server.baseURL + "/a.iso")

                try await management.attachVirtualMedia(task, VirtualMedia(deviceType: .disk, imageURL: server.baseURL + "/b.img"))
                let system = try await RedfishSystem.locate(try RedfishClient(task, configuration: testConfiguration))
                let stick = try await RedfishVirtualMedia.device(.disk, of: system)
                #expect(stick.inserted && stick.image == server.baseURL + "/b.img")
                #expect(stick.path != cdPath)

                try await management.detachVirtualMedia(task, [.cdrom])
                cd = try await emulator.directGET(cdPath)
                #expect(cd["Inserted"]?.boolValue == false)
                #expect(try await RedfishVirtualMedia.device(.disk, of: system).inserted)
                try await management.detachVirtualMedia(task, nil)
                #expect(try await RedfishVirtualMedia.device(.disk, of: system).inserted == false)
            }
        }
    }

    @Test("boot mode is set on the system; secure boot through its SecureBoot resource")
    func bootModeAndSecureBoot() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            try await management.setBootMode(task, .uefi)
            #expect(try await management.bootMode(task) == .uefi)
            try await management.setBootMode(task, .bios)
            #expect(try await management.bootMode(task) == .bios)
            let system = try await emulator.directGET(emulator.systemPath(1))
            let secure = try #require(system["SecureBoot"]?["@odata.id"]?.stringValue)
            try await management.setSecureBoot(task, true)
            #expect(try await emulator.directGET(secure)["SecureBootEnable"]?.boolValue == true)
            try await management.setSecureBoot(task, false)
            #expect(try await emulator.directGET(secure)["SecureBootEnable"]?.boolValue == false)
        }
    }

    @Test("BIOS settings are the Bios resource's Attributes, as text, sorted by name")
    func biosSettings() async throws {
        var options = EmulatorOptions()
        options.fakeBIOS = true
        try await withEmulator(options) { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 1))
            let settings = try await RedfishBIOS(configuration: testConfiguration).biosSettings(task)
            #expect(settings.map(\.name) == settings.map(\.name).sorted())
            #expect(settings.first { $0.name == "ProcTurboMode" }?.value == "Enabled")
        }
    }
}
