import Domain
import Drivers
import Foundation
import Testing

/// `redfish` inspection against a real sushy-emulator: the launcher gives each system 4 CPUs,
/// 8 GiB, two NICs with known MACs and one 100 GiB drive.
@Suite("Redfish inspection", .serialized)
struct RedfishInspectTests {
    let inspect = RedfishInspect(configuration: testConfiguration)

    @Test("CPUs, memory, MACs and disks of the node's own system")
    func inventory() async throws {
        try await withEmulator { emulator in
            for system in [1, 2] {
                let task = try redfishTask(emulator.driverInfo(system: system))
                guard case .found(let inventory, let properties) = try await inspect.inspectHardware(task) else {
                    Issue.record("redfish inspection must not wait for a ramdisk")
                    return
                }
                let macs = inventory["interfaces"]?.arrayValue?.compactMap { $0["mac_address"]?.stringValue }
                #expect(macs?.sorted() == emulator.macs(system).sorted())
                #expect(inventory["cpu"]?["count"] == 4)
                #expect(inventory["cpu"]?["architecture"] == "x86_64")
                #expect(inventory["memory"]?["physical_mb"] == 8192)
                #expect(inventory["disks"]?.arrayValue?.first?["size"] == .number(100 * 1_073_741_824))
                #expect(inventory["boot"]?["current_boot_mode"] == "uefi")
                #expect(properties == ["cpus": 4, "cpu_arch": "x86_64", "memory_mb": 8192, "local_gb": 99])
            }
        }
    }

    @Test("MACs read directly from the emulator match the inventory")
    func macsMatchTheEmulator() async throws {
        try await withEmulator { emulator in
            let task = try redfishTask(emulator.driverInfo(system: 2))
            let inventory = try await inspect.inventory(task)
            let collection = try await emulator.directGET(emulator.systemPath(2) + "/EthernetInterfaces")
            var direct: [String] = []
            for member in collection["Members"]?.arrayValue ?? [] {
                if let path = member["@odata.id"]?.stringValue,
                   let mac = try await emulator.directGET(path)["MACAddress"]?.stringValue { direct.append(mac.lowercased()) }
            }
            let macs = inventory["interfaces"]?.arrayValue?.compactMap { $0["mac_address"]?.stringValue } ?? []
            #expect(!direct.isEmpty)
            #expect(macs.sorted() == direct.sorted())
        }
    }
}
