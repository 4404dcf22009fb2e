import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// One test per node feature of the table from 1.90 to 1.115: refused or absent just below its
/// version, served at it (and above it, through `everyVersion`'s maximum).
@Suite("Node features 1.91–1.115, each at its microversion")
struct NodeMicroversions90To115Tests {
    private static func provision(_ id: String) -> String { "/v1/nodes/\(id)/states/provision" }

    @Test("1.91: a trailing .json is dropped from the ident before 1.91, part of it from 1.91")
    func jsonSuffix() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let plain = try uuid(try await createNode(client, version: "1.91", json: #"{"driver": "fake-hardware", "name": "web"}"#))
            let dotted = try uuid(try await createNode(client, version: "1.91", json: #"{"driver": "fake-hardware", "name": "db.json"}"#))
            let old = try await call(client, .get, "/v1/nodes/web.json", version: "1.90")
            #expect(old.status == .ok && old.body["uuid"] as? String == plain, "\(old.fault)")
            #expect(try await call(client, .get, "/v1/nodes/\(plain).json", version: "1.90").body["uuid"] as? String == plain)
            #expect(try await call(client, .get, "/v1/nodes/web.json", version: "1.91").status == .notFound)
            #expect(try await call(client, .get, "/v1/nodes/db.json", version: "1.91").body["uuid"] as? String == dotted)
            #expect(try await call(client, .get, "/v1/nodes/db.json", version: "1.115").body["uuid"] as? String == dotted)
            #expect(try await call(client, .get, "/v1/nodes/db.json", version: "1.90").status == .notFound, "db.json reads as db")
            let ports = try await call(client, .get, "/v1/nodes/web.json/ports", version: "1.90")
            #expect(ports.status == .notFound, "only the segment that ends the path is stripped")
        }
    }

    @Test("1.93: GET /vmedia lists the attached media; 404 before")
    func listVirtualMedia() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            let path = "/v1/nodes/\(id)/vmedia"
            #expect(try await call(client, .get, path, version: "1.93").body["vmedia"] as? [Any] != nil)
            #expect((try await call(client, .get, path, version: "1.93").body["vmedia"] as? [Any])?.isEmpty == true)
            let attach = #"{"device_type": "cdrom", "image_url": "http://images.example/boot.iso"}"#
            #expect(try await call(client, .post, path, version: "1.89", json: attach).status == .noContent)
            #expect(try await call(client, .get, path, version: "1.92").status == .notFound)
            let listed = try await call(client, .get, path, version: "1.93")
            #expect(listed.status == .ok, "\(listed.fault)")
            let media = try #require(listed.body["vmedia"] as? [[String: Any]])
            #expect(media.count == 1)
            #expect(media.first?["device_type"] as? String == "cdrom")
            #expect(media.first?["image_url"] as? String == "http://images.example/boot.iso")
            #expect(media.first?["image_download_source"] as? String == "http")
            #expect(try await call(client, .get, path + "?detail=True", version: "1.93").status == .badRequest)
            #expect(try await call(client, .delete, path, version: "1.93").status == .noContent)
            #expect((try await call(client, .get, path, version: "1.115").body["vmedia"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("1.95: disable_power_off is 406 before; from it, power off and soft power off are refused (409), power on is not")
    func disablePowerOff() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let json = #"{"driver": "fake-hardware", "disable_power_off": true}"#
            #expect(try await call(client, .post, "/v1/nodes", version: "1.94", json: json).status == .notAcceptable)
            let created = try await call(client, .post, "/v1/nodes", version: "1.95", json: json)
            #expect(created.status == .created, "\(created.fault)")
            #expect(created.body["disable_power_off"] as? Bool == true)
            let id = try #require(created.body["uuid"] as? String)
            #expect(try await call(client, .get, "/v1/nodes/\(id)", version: "1.94").body["disable_power_off"] == nil)
            #expect(try await call(client, .get, "/v1/nodes/\(id)?fields=disable_power_off", version: "1.94").status == .notAcceptable)
            let power = "/v1/nodes/\(id)/states/power"
            #expect(try await call(client, .put, power, version: "1.95", json: #"{"target": "power on"}"#).status == .accepted)
            try await conductor.settle()
            #expect(try await call(client, .put, power, version: "1.95", json: #"{"target": "power off"}"#).status == .conflict)
            #expect(try await call(client, .put, power, version: "1.115", json: #"{"target": "soft power off"}"#).status == .conflict)
            let patch = #"[{"op": "replace", "path": "/disable_power_off", "value": false}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.94", json: patch).status == .notAcceptable)
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.95", json: patch).status == .ok)
            #expect(try await call(client, .put, power, version: "1.95", json: #"{"target": "power off"}"#).status == .accepted)
        }
    }

    @Test("1.95: where a flow would power the node off (cleaning, deploy, undeploy) a disable_power_off node is rebooted instead")
    func disablePowerOffFlows() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let kept = try uuid(try await createNode(client, version: "1.95", json: #"{"driver": "fake-hardware", "disable_power_off": true}"#))
            let plain = try uuid(try await createNode(client, version: "1.95", json: #"{"driver": "fake-hardware"}"#))
            for id in [kept, plain] {
                #expect(try await call(client, .put, "/v1/nodes/\(id)/states/power", version: "1.95", json: #"{"target": "power on"}"#).status == .accepted)
                try await conductor.settle()
                for target in ["manage", "provide", "active", "deleted"] {
                    let moved = try await call(client, .put, Self.provision(id), version: "1.95", json: #"{"target": "\#(target)"}"#)
                    #expect(moved.status == .accepted, "\(target): \(moved.fault)")
                    try await conductor.settle()
                }
                #expect(try projected(conductor, id).provisionState == .available)
            }
            #expect(try projected(conductor, kept).powerState == .on)
            #expect(try projected(conductor, plain).powerState == .off)
        }
    }

    @Test("1.98: ~0 and ~1 in a patch path are 400 before, reach keys with ~ and / from it")
    func pointerEscapes() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            let patch = #"[{"op": "add", "path": "/extra/rack~1row", "value": "r1"}, {"op": "add", "path": "/extra/a~0b", "value": 2}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.97", json: patch).status == .badRequest)
            let patched = try await call(client, .patch, "/v1/nodes/\(id)", version: "1.98", json: patch)
            #expect(patched.status == .ok, "\(patched.fault)")
            let extra = try #require(patched.body["extra"] as? [String: Any])
            #expect(extra["rack/row"] as? String == "r1" && extra["a~b"] as? Int == 2)
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.98",
                                   json: #"[{"op": "add", "path": "/extra/bad~2", "value": 1}]"#).status == .badRequest)
            let port = try await call(client, .post, "/v1/ports", version: "1.98", json: #"{"node_uuid": "\#(id)", "address": "52:54:00:98:00:01"}"#)
            let portID = try #require(port.body["uuid"] as? String)
            let portPatch = #"[{"op": "add", "path": "/extra/x~1y", "value": true}]"#
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.97", json: portPatch).status == .badRequest)
            let portPatched = try await call(client, .patch, "/v1/ports/\(portID)", version: "1.115", json: portPatch)
            #expect((portPatched.body["extra"] as? [String: Any])?["x/y"] as? Bool == true, "\(portPatched.fault)")
        }
    }

    @Test("1.104: instance_name is 406 before; stored, filtered, and following instance_info.display_name from it")
    func instanceName() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            #expect(try await call(client, .post, "/v1/nodes", version: "1.103",
                                   json: #"{"driver": "fake-hardware", "instance_name": "vm-1"}"#).status == .notAcceptable)
            let named = try uuid(try await createNode(client, version: "1.104", json: #"{"driver": "fake-hardware", "instance_name": "vm-1"}"#))
            let other = try uuid(try await createNode(client))
            #expect(try await call(client, .get, "/v1/nodes?instance_name=vm-1", version: "1.103").status == .notAcceptable)
            let listed = try await call(client, .get, "/v1/nodes?instance_name=vm-1", version: "1.104")
            #expect((listed.body["nodes"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [named])
            #expect(try await call(client, .get, "/v1/nodes/\(named)", version: "1.103").body["instance_name"] == nil)
            let display = #"[{"op": "add", "path": "/instance_info/display_name", "value": "web-7"}]"#
            let synced = try await call(client, .patch, "/v1/nodes/\(other)", version: "1.104", json: display)
            #expect(synced.status == .ok && synced.body["instance_name"] as? String == "web-7", "\(synced.fault)")
            let both = #"[{"op": "add", "path": "/instance_info/display_name", "value": "x"}, {"op": "replace", "path": "/instance_name", "value": "y"}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(other)", version: "1.115", json: both).body["instance_name"] as? String == "y")
        }
    }

    @Test("1.107: X-OpenStack-Request-Id mirrors Openstack-Request-Id from 1.107, absent before")
    func requestIDMirror() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            for (version, mirrored) in [("1.106", false), ("1.107", true), ("1.115", true)] {
                try await client.execute(uri: "/v1/nodes", method: .get, headers: headers(version)) { response in
                    let id = response.headers[RequestIDMiddleware.headerName]
                    #expect(isOpenStackRequestID(id))
                    let mirror = response.headers[APIVersionMiddleware.requestIDMirrorHeader]
                    #expect(mirrored ? mirror == id : mirror == nil, "\(version)")
                }
            }
            try await client.execute(uri: "/v1/nodes/nope", method: .get, headers: headers("1.107")) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[APIVersionMiddleware.requestIDMirrorHeader] == response.headers[RequestIDMiddleware.headerName])
            }
        }
    }

    @Test("1.108: disable_ramdisk with service is 406 before, taken from it")
    func serviceDisableRamdisk() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            for target in ["manage", "provide", "active"] {
                #expect(try await call(client, .put, Self.provision(id), version: "1.11", json: #"{"target": "\#(target)"}"#).status == .accepted)
                try await conductor.settle()
            }
            let service = #"{"target": "service", "service_steps": [{"interface": "deploy", "step": "hold"}], "disable_ramdisk": true}"#
            #expect(try await call(client, .put, Self.provision(id), version: "1.107", json: service).status == .notAcceptable)
            let served = try await call(client, .put, Self.provision(id), version: "1.108", json: service)
            #expect(served.status == .accepted, "\(served.fault)")
        }
    }

    @Test("1.109: health is shown (null until reported) from 1.109, absent and 406 in fields before")
    func health() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            let old = try await call(client, .get, "/v1/nodes/\(id)", version: "1.108")
            #expect(old.status == .ok && old.body["health"] == nil)
            #expect(try await call(client, .get, "/v1/nodes/\(id)?fields=health", version: "1.108").status == .notAcceptable)
            let new = try await call(client, .get, "/v1/nodes/\(id)", version: "1.109")
            #expect(new.body.keys.contains("health") && new.body["health"] is NSNull)
            let patch = #"[{"op": "replace", "path": "/health", "value": "OK"}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.109", json: patch).status == .badRequest)
        }
    }

    @Test("1.110: abort in wait call-back is 406 before, fails the deploy from it")
    func abortWaitCallBack() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try await AgentTests.waitingNode(client, conductor)
            #expect(try await call(client, .put, Self.provision(id), version: "1.109", json: #"{"target": "abort"}"#).status == .notAcceptable)
            let aborted = try await call(client, .put, Self.provision(id), version: "1.110", json: #"{"target": "abort"}"#)
            #expect(aborted.status == .accepted, "\(aborted.fault)")
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .deployFailed)
        }
    }

    @Test("1.113 project and 1.115 state, target_provision_state, duration_seconds on history records")
    func historyDetail() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try await client.execute(uri: "/v1/nodes", method: .post, headers: headers("1.11", project: "tenant-a"),
                                              body: body(#"{"driver": "fake-hardware"}"#)) { response in
                try uuid(try #require(jsonObject(response.body)))
            }
            try await manage(client, conductor, id)
            let path = "/v1/nodes/\(id)/history"
            let old = try #require(try await call(client, .get, path, version: "1.112").body["history"] as? [[String: Any]])
            #expect(old.allSatisfy { $0["project"] == nil && $0["state"] == nil })
            let withProject = try #require(try await call(client, .get, path, version: "1.113").body["history"] as? [[String: Any]])
            #expect(withProject.first?["project"] as? String == "tenant-a")
            #expect(withProject.allSatisfy { $0["state"] == nil && $0["duration_seconds"] == nil })
            let records = try #require(try await call(client, .get, path, version: "1.115").body["history"] as? [[String: Any]])
            #expect(records.first?["state"] as? String == "enroll")
            #expect(records.first?["duration_seconds"] is NSNull)
            let moves = records.filter { $0["type"] as? String == "ProvisionStateChanged" }
            #expect(!moves.isEmpty)
            #expect(moves.allSatisfy { ($0["duration_seconds"] as? Double).map { $0 >= 0 } ?? false })
            #expect(moves.last?["state"] as? String == "manageable" && moves.last?["target_provision_state"] is NSNull)
            #expect(moves.first?["state"] as? String == "verifying" && moves.first?["target_provision_state"] as? String == "manageable")
            let one = try await call(client, .get, "\(path)/\(try #require(moves.last?["uuid"] as? String))", version: "1.115")
            #expect(one.body["state"] as? String == "manageable" && one.body["duration_seconds"] is Double)
        }
    }

    @Test("1.114: firmware components carry vendor, model and serial_number from 1.114")
    func firmwareIdentity() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await manage(client, conductor, id)
            let old = try #require(try await call(client, .get, "/v1/nodes/\(id)/firmware", version: "1.113").body["firmware"] as? [[String: Any]])
            #expect(!old.isEmpty && old.allSatisfy { $0["vendor"] == nil && $0["model"] == nil && $0["serial_number"] == nil })
            let new = try #require(try await call(client, .get, "/v1/nodes/\(id)/firmware", version: "1.114").body["firmware"] as? [[String: Any]])
            let bmc = try #require(new.first { $0["component"] as? String == "bmc" })
            #expect(bmc["vendor"] as? String == "Ironlog" && bmc["model"] as? String == "Fake BMC")
            #expect(bmc["serial_number"] as? String == "FAKE-BMC-0001")
            let bios = try #require(new.first { $0["component"] as? String == "bios" })
            #expect(bios["serial_number"] is NSNull)
        }
    }
}
