import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Drivers, conductors and inject NMI")
struct DriverAndConductorTests {
    @Test("GET /v1/drivers lists the hardware types; detail (1.30) shows each kind's default and enabled interfaces")
    func drivers() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            try await client.execute(uri: "/v1/drivers", method: .get, headers: headers("1.11")) { response in
                let drivers = try #require(jsonObject(response.body)?["drivers"] as? [[String: Any]])
                let fake = try #require(drivers.first { $0["name"] as? String == "fake-hardware" })
                #expect(fake["hosts"] as? [String] == ["test-conductor"])
                #expect(fake["type"] == nil && fake["properties"] == nil)
            }
            try await client.execute(uri: "/v1/drivers?detail=True", method: .get, headers: headers("1.30")) { response in
                let drivers = try #require(jsonObject(response.body)?["drivers"] as? [[String: Any]])
                let ipmi = try #require(drivers.first { $0["name"] as? String == "ipmi" })
                #expect(ipmi["type"] as? String == "dynamic")
                #expect(ipmi["default_power_interface"] as? String == "ipmitool")
                #expect(ipmi["enabled_power_interfaces"] as? [String] == ["ipmitool"])
                #expect(ipmi["default_storage_interface"] == nil, "storage_interface arrives at 1.33")
            }
            try await client.execute(uri: "/v1/drivers?type=classic", method: .get, headers: headers("1.30")) { response in
                #expect((jsonObject(response.body)?["drivers"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/drivers?detail=True", method: .get, headers: headers("1.29")) { response in
                #expect(response.status == .notAcceptable)
            }
            try await client.execute(uri: "/v1/drivers/ipmi", method: .get, headers: headers("1.30")) { response in
                #expect(jsonObject(response.body)?["default_management_interface"] as? String == "ipmitool")
            }
            try await client.execute(uri: "/v1/drivers/ipmi/properties", method: .get, headers: headers("1.30")) { response in
                let properties = try #require(jsonObject(response.body))
                #expect(properties["ipmi_address"] != nil)
            }
            try await client.execute(uri: "/v1/drivers/no-such", method: .get, headers: headers("1.30")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("GET /v1/conductors (1.49) is this process; 404 before")
    func conductors() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            try await client.execute(uri: "/v1/conductors", method: .get, headers: headers("1.49")) { response in
                let conductors = try #require(jsonObject(response.body)?["conductors"] as? [[String: Any]])
                #expect(conductors.map { $0["hostname"] as? String } == ["test-conductor"])
                #expect(conductors.first?["alive"] as? Bool == true)
            }
            try await client.execute(uri: "/v1/conductors/test-conductor", method: .get, headers: headers("1.49")) { response in
                #expect((jsonObject(response.body)?["drivers"] as? [String])?.contains("ipmi") == true)
            }
            try await client.execute(uri: "/v1/conductors", method: .get, headers: headers("1.48")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("inject_nmi: 404 before 1.29, 400 for a management interface that can not send one")
    func injectNMI() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)/management/inject_nmi", method: .put, headers: headers("1.28"), body: body("{}")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/management/inject_nmi", method: .put, headers: headers("1.29"), body: body("{}")) { response in
                #expect(response.status == .badRequest)
                #expect(faultString(response) == "Driver fake-hardware does not support inject_nmi (disabled or not implemented).")
            }
        }
    }
}
