import Domain
import Drivers
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Management features: indicators (1.63), boot mode and secure boot (1.75/1.76), virtual media (1.89)")
struct NodeManagementFeatureTests {
    @Test("indicators: list, read, set (recorded), refusals; 404 below 1.63")
    func indicators() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let base = "/v1/nodes/\(id)/management/indicators"
            #expect(try await call(client, .get, base, version: "1.62").status == .notFound)
            #expect(try await call(client, .put, base + "/led@system", version: "1.62", json: #"{"state": "ON"}"#).status == .notFound)
            let listed = try await call(client, .get, base, version: "1.63")
            let indicators = try #require(listed.body["indicators"] as? [[String: Any]])
            #expect(indicators.map { $0["name"] as? String } == ["led-0@chassis", "led@disk", "led@system"])
            let system = try #require(indicators.last)
            #expect(system["component"] as? String == "system" && system["readonly"] as? Bool == false)
            #expect(system["states"] as? [String] == ["BLINKING", "OFF", "ON"])
            #expect(try await call(client, .get, base + "/led@system", version: "1.63").body["state"] as? String == "OFF")
            let set = try await call(client, .put, base + "/led@system", version: "1.63", json: #"{"state": "BLINKING"}"#)
            #expect(set.status == .noContent, "\(set.fault)")
            #expect(try await call(client, .get, base + "/led@system", version: "1.63").body["state"] as? String == "BLINKING")
            #expect(try eventTypes(conductor, id).last == "IndicatorSet")
            let node = try #require(UUID(uuidString: id))
            #expect(try conductor.commands.aggregate(node)?.indicators[IndicatorID(component: .system, name: "led")] == .blinking)
            let refusals: [(String, String, HTTPResponse.Status)] = [
                ("/led-0@chassis", #"{"state": "OFF"}"#, .badRequest),     // read-only
                ("/led@disk", #"{"state": "BLINKING"}"#, .badRequest),     // a state it can not show
                ("/led@system", #"{"state": "PURPLE"}"#, .badRequest),
                ("/led@system", #"{}"#, .badRequest),
                ("/led@system", #"{"state": "ON", "colour": 1}"#, .badRequest),
                ("/led", #"{"state": "ON"}"#, .badRequest),
                ("/led@moon", #"{"state": "ON"}"#, .badRequest),
                ("/fan@system", #"{"state": "ON"}"#, .notFound),
            ]
            for (suffix, json, status) in refusals {
                let result = try await call(client, .put, base + suffix, version: "1.63", json: json)
                #expect(result.status == status, "\(suffix) \(json): \(result.fault)")
            }
        }
    }

    @Test("indicators of a node whose management can not: an empty list, each one 404")
    func noIndicators() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client, json: #"{"driver": "manual-management"}"#))
            let listed = try await call(client, .get, "/v1/nodes/\(id)/management/indicators", version: "1.63")
            #expect((listed.body["indicators"] as? [Any])?.isEmpty == true)
            #expect(try await call(client, .get, "/v1/nodes/\(id)/management/indicators/led@system", version: "1.63").status == .notFound)
        }
    }

    @Test("boot mode and secure boot: 202, shown on the node and its states from 1.75; 404 below 1.76; 400 for bad targets")
    func bootMode() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let states = "/v1/nodes/\(id)/states"
            #expect(try await call(client, .put, states + "/boot_mode", version: "1.75", json: #"{"target": "bios"}"#).status == .notFound)
            #expect(try await call(client, .put, states + "/secure_boot", version: "1.75", json: #"{"target": true}"#).status == .notFound)
            let mode = try await call(client, .put, states + "/boot_mode", version: "1.76", json: #"{"target": "bios"}"#)
            #expect(mode.status == .accepted, "\(mode.fault)")
            let secure = try await call(client, .put, states + "/secure_boot", version: "1.76", json: #"{"target": true}"#)
            #expect(secure.status == .accepted, "\(secure.fault)")
            let shown = try await call(client, .get, states, version: "1.76")
            #expect(shown.body["boot_mode"] as? String == "bios" && shown.body["secure_boot"] as? Bool == true)
            let node = try await call(client, .get, "/v1/nodes/\(id)", version: "1.75")
            #expect(node.body["boot_mode"] as? String == "bios" && node.body["secure_boot"] as? Bool == true)
            #expect(try await call(client, .get, "/v1/nodes/\(id)", version: "1.74").body["boot_mode"] == nil)
            #expect(try eventTypes(conductor, id).suffix(2) == ["BootModeSet", "SecureBootSet"])
            for (path, json) in [("/boot_mode", #"{"target": "legacy"}"#), ("/boot_mode", #"{}"#), ("/secure_boot", #"{"target": "yes"}"#),
                                 ("/secure_boot", #"{"target": true, "mode": 1}"#)] {
                let result = try await call(client, .put, states + path, version: "1.76", json: json)
                #expect(result.status == .badRequest, "\(path) \(json): \(result.fault)")
            }
        }
    }

    @Test("boot mode is refused with 409 while the node is in an unstable state; noop management is 400")
    func bootModeRefused() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let json = #"{"driver": "fake-hardware", "driver_info": {"fake_wait": "inspect.inspect_hardware"}}"#
            let id = try uuid(try await createNode(client, json: json))
            try await manage(client, conductor, id)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.39", json: #"{"target": "inspect"}"#).status == .accepted)
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .inspectWait)
            let result = try await call(client, .put, "/v1/nodes/\(id)/states/boot_mode", version: "1.76", json: #"{"target": "uefi"}"#)
            #expect(result.status == .conflict, "\(result.fault)")
            let noop = try uuid(try await createNode(client, json: #"{"driver": "manual-management"}"#))
            #expect(try await call(client, .put, "/v1/nodes/\(noop)/states/secure_boot", version: "1.76", json: #"{"target": false}"#).status == .badRequest)
        }
    }

    @Test("virtual media: attach (204, recorded, on the fake machine), detach by type or all; 404 below 1.89; 400s")
    func virtualMedia() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let node = try #require(UUID(uuidString: id))
            let path = "/v1/nodes/\(id)/vmedia"
            let cd = #"{"device_type": "cdrom", "image_url": "http://images/boot.iso"}"#
            #expect(try await call(client, .post, path, version: "1.88", json: cd).status == .notFound)
            #expect(try await call(client, .delete, path, version: "1.88").status == .notFound)
            #expect(try await call(client, .post, path, version: "1.89", json: cd).status == .noContent)
            let disk = #"{"device_type": "disk", "image_url": "http://images/disk.img", "image_download_source": "local"}"#
            #expect(try await call(client, .post, path, version: "1.89", json: disk).status == .noContent)
            let attached = try #require(try conductor.commands.aggregate(node)).virtualMedia
            #expect(attached.map(\.deviceType) == [.cdrom, .disk])
            #expect(attached.last?.imageDownloadSource == .local)
            #expect(try eventTypes(conductor, id).suffix(2) == ["VirtualMediaAttached", "VirtualMediaAttached"])
            #expect(try await call(client, .delete, path + "?device_types=cdrom", version: "1.89").status == .noContent)
            #expect(try conductor.commands.aggregate(node)?.virtualMedia.map(\.deviceType) == [.disk])
            #expect(try await call(client, .delete, path, version: "1.89").status == .noContent)
            #expect(try conductor.commands.aggregate(node)?.virtualMedia.isEmpty == true)
            #expect(try eventTypes(conductor, id).suffix(2) == ["VirtualMediaDetached", "VirtualMediaDetached"])
            let refusals = [#"{"device_type": "tape", "image_url": "http://x"}"#, #"{"device_type": "cdrom"}"#,
                            #"{"image_url": "http://x"}"#, #"{"device_type": "cdrom", "image_url": "http://x", "image_download_source": "ftp"}"#,
                            #"{"device_type": "cdrom", "image_url": "http://x", "colour": 1}"#]
            for json in refusals {
                let result = try await call(client, .post, path, version: "1.89", json: json)
                #expect(result.status == .badRequest, "\(json): \(result.fault)")
            }
            #expect(try await call(client, .delete, path + "?device_types=tape", version: "1.89").status == .badRequest)
        }
    }
}
