import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Driver RAID: /v1/drivers/{name}/raid/logical_disk_properties")
struct DriverRAIDPropertiesTests {
    @Test("Ironic's logical disk properties for every driver from 1.12; 406 before; 404 for an unknown driver")
    func logicalDiskProperties() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            for driver in ["fake-hardware", "ipmi"] {
                let result = try await call(client, .get, "/v1/drivers/\(driver)/raid/logical_disk_properties", version: "1.12")
                #expect(result.status == .ok && result.body.count == 10, "\(driver): \(result.fault)")
                #expect((result.body["raid_level"] as? String)?.hasSuffix("Required.") == true)
                #expect((result.body["controller"] as? String)?.hasPrefix("Controller to use for this logical disk.") == true)
            }
            #expect(try await call(client, .get, "/v1/drivers/fake-hardware/raid/logical_disk_properties", version: "1.11").status == .notAcceptable)
            #expect(try await call(client, .get, "/v1/drivers/nope/raid/logical_disk_properties", version: "1.12").status == .notFound)
            #expect(try await call(client, .get, "/v1/drivers/fake-hardware/raid/logical_disk_properties?x=1", version: "1.12").status == .badRequest)
        }
    }
}
