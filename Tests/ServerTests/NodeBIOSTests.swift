import Domain
import Drivers
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("BIOS settings (1.40, registry 1.74) and firmware components (1.86)")
struct NodeBIOSTests {
    @Test("verifying caches the fake BIOS's settings; /bios lists them with name, value, timestamps and links")
    func list() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let empty = try await call(client, .get, "/v1/nodes/\(id)/bios", version: "1.40")
            #expect(empty.status == .ok && (empty.body["bios"] as? [Any])?.isEmpty == true)
            try await manage(client, conductor, id)
            #expect(try eventTypes(conductor, id).contains("BIOSSettingsCached"))
            let listed = try await call(client, .get, "/v1/nodes/\(id)/bios", version: "1.40")
            let settings = try #require(listed.body["bios"] as? [[String: Any]])
            #expect(settings.map { $0["name"] as? String } == FakeHardwareRecords.defaultBIOSSettings.map(\.name).sorted())
            let first = try #require(settings.first)
            #expect(Set(first.keys) == ["name", "value", "created_at", "updated_at", "links"])
            #expect(first["created_at"] is String)
            #expect((first["links"] as? [[String: Any]])?.first?["href"] as? String == "http://localhost/v1/nodes/\(id)/bios/AssetTag")
        }
    }

    @Test("404 below 1.40; detail and fields need 1.74 (406); together 400; unknown field 400")
    func gating() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await manage(client, conductor, id)
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("1.39", "", .notFound), ("1.39", "/AssetTag", .notFound),
                ("1.73", "?detail=True", .notAcceptable), ("1.73", "?fields=name", .notAcceptable),
                ("1.74", "?detail=True&fields=name", .badRequest), ("1.74", "?fields=colour", .badRequest),
                ("1.74", "?detail=maybe", .badRequest), ("1.74", "?sort=name", .badRequest),
                ("1.40", "/NoSuchSetting", .notFound),
            ]
            for (version, suffix, status) in cases {
                let result = try await call(client, .get, "/v1/nodes/\(id)/bios\(suffix)", version: version)
                #expect(result.status == status, "\(version) \(suffix): \(result.fault)")
            }
        }
    }

    @Test("registry fields: detail=True and a single setting from 1.74, fields narrows; not before")
    func registry() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await manage(client, conductor, id)
            let detailed = try await call(client, .get, "/v1/nodes/\(id)/bios?detail=True", version: "1.74")
            let settings = try #require(detailed.body["bios"] as? [[String: Any]])
            let cores = try #require(settings.first { $0["name"] as? String == "NumCores" })
            #expect(cores["attribute_type"] as? String == "Integer")
            #expect(cores["lower_bound"] as? Int == 1 && cores["upper_bound"] as? Int == 64)
            #expect(cores["allowable_values"] is NSNull)
            #expect(Set(cores.keys).isSuperset(of: Set(BIOSSetting.registryFields)))
            let narrowed = try await call(client, .get, "/v1/nodes/\(id)/bios?fields=name,read_only", version: "1.74")
            let serial = try #require((narrowed.body["bios"] as? [[String: Any]])?.first { $0["name"] as? String == "SerialNumber" })
            #expect(serial["read_only"] as? Bool == true && serial["value"] == nil)
            let one = try await call(client, .get, "/v1/nodes/\(id)/bios/BootMode", version: "1.74")
            let mode = try #require(one.body["BootMode"] as? [String: Any])
            #expect(mode["value"] as? String == "Uefi" && mode["allowable_values"] as? [String] == ["Bios", "Uefi"])
            let old = try await call(client, .get, "/v1/nodes/\(id)/bios/BootMode", version: "1.73")
            let plain = try #require(old.body["BootMode"] as? [String: Any])
            #expect(plain["attribute_type"] == nil && plain["value"] as? String == "Uefi")
        }
    }

    @Test("no-bios and no-firmware report nothing: empty lists")
    func none() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client, version: "1.86",
                                                   json: #"{"driver": "fake-hardware", "bios_interface": "no-bios", "firmware_interface": "no-firmware"}"#))
            try await manage(client, conductor, id)
            let bios = try await call(client, .get, "/v1/nodes/\(id)/bios", version: "1.40")
            #expect((bios.body["bios"] as? [Any])?.isEmpty == true)
            let firmware = try await call(client, .get, "/v1/nodes/\(id)/firmware", version: "1.86")
            #expect((firmware.body["firmware"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("BIOS settings applied by a manual cleaning step show after it")
    func appliedByCleaning() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await manage(client, conductor, id)
            let steps = #"{"target": "clean", "clean_steps": [{"interface": "bios", "step": "apply_configuration", "args": {"settings": [{"name": "HyperThreading", "value": "Disabled"}]}}]}"#
            let cleaned = try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.15", json: steps)
            #expect(cleaned.status == .accepted, "\(cleaned.fault)")
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .manageable)
            let one = try await call(client, .get, "/v1/nodes/\(id)/bios/HyperThreading", version: "1.40")
            let setting = try #require(one.body["HyperThreading"] as? [String: Any])
            #expect(setting["value"] as? String == "Disabled")
            #expect(setting["updated_at"] is String)
        }
    }

    @Test("firmware: 404 below 1.86; the fake's components after verifying; firmware_interface shown from 1.86")
    func firmware() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            #expect(try await call(client, .get, "/v1/nodes/\(id)/firmware", version: "1.85").status == .notFound)
            try await manage(client, conductor, id)
            let listed = try await call(client, .get, "/v1/nodes/\(id)/firmware", version: "1.86")
            let components = try #require(listed.body["firmware"] as? [[String: Any]])
            #expect(components.map { $0["component"] as? String } == ["bios", "bmc"])
            #expect(components[0]["current_version"] as? String == "1.0.0" && components[0]["last_version_flashed"] is NSNull)
            let node = try await call(client, .get, "/v1/nodes/\(id)", version: "1.86")
            #expect(node.body["firmware_interface"] as? String == "fake")
            let old = try await call(client, .get, "/v1/nodes/\(id)", version: "1.85")
            #expect(old.body["firmware_interface"] == nil)
            #expect(try await call(client, .get, "/v1/nodes/\(id)?fields=firmware_interface", version: "1.85").status == .notAcceptable)
        }
    }
}
