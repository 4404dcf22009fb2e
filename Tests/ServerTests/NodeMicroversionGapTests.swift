import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// One test per node feature of the table between 1.41 and 1.72 that has no test of its own
/// elsewhere: refused just below its version, served at it.
@Suite("Node features 1.41–1.72, each at its microversion")
struct NodeMicroversionGapTests {
    @Test("1.41: abort in inspect wait is 406 at 1.40, ends inspection (inspect failed) at 1.41")
    func abortInspectWait() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "driver_info": {"fake_wait": "inspect.inspect_hardware"}}"#))
            try await manage(client, conductor, id)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.39", json: #"{"target": "inspect"}"#).status == .accepted)
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .inspectWait)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.40", json: #"{"target": "abort"}"#).status == .notAcceptable)
            let abort = try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.41", json: #"{"target": "abort"}"#)
            #expect(abort.status == .accepted, "\(abort.fault)")
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .inspectFailed)
        }
    }

    @Test("1.44: deploy_step is shown from 1.44, 406 in fields before")
    func deployStep() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            #expect(try await call(client, .get, "/v1/nodes/\(id)", version: "1.43").body["deploy_step"] == nil)
            #expect(try await call(client, .get, "/v1/nodes/\(id)", version: "1.44").body["deploy_step"] as? [String: Any] != nil)
            #expect(try await call(client, .get, "/v1/nodes/\(id)?fields=deploy_step", version: "1.43").status == .notAcceptable)
        }
    }

    @Test("1.45: reset_interfaces resets the interfaces a driver change does not set; 406 before; 400 without a driver change")
    func resetInterfaces() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let toManual = #"[{"op": "replace", "path": "/driver", "value": "manual-management"}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(id)?reset_interfaces=true", version: "1.44", json: toManual).status == .notAcceptable)
            let noDriver = #"[{"op": "add", "path": "/extra/a", "value": 1}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(id)?reset_interfaces=true", version: "1.45", json: noDriver).status == .badRequest)
            #expect(try await call(client, .patch, "/v1/nodes/\(id)?reset_interfaces=maybe", version: "1.45", json: toManual).status == .badRequest)
            let explicit = #"[{"op": "replace", "path": "/driver", "value": "manual-management"}, {"op": "replace", "path": "/management_interface", "value": "fake"}]"#
            let reset = try await call(client, .patch, "/v1/nodes/\(id)?reset_interfaces=true", version: "1.45", json: explicit)
            #expect(reset.status == .ok, "\(reset.fault)")
            #expect(reset.body["driver"] as? String == "manual-management")
            #expect(reset.body["management_interface"] as? String == "fake", "the patch's own interface is kept")
            #expect(reset.body["deploy_interface"] as? String == "direct", "the others get the new type's defaults")
            #expect(reset.body["inspect_interface"] as? String == "no-inspect")
            let node = try projected(conductor, id)
            #expect(node.interfaces[.raid] == "no-raid" && node.interfaces[.bios] == "no-bios")
        }
    }

    @Test("1.56/1.59: a config drive as an object from 1.56, vendor_data in it from 1.59")
    func configDriveObject() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await manage(client, conductor, id)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.11", json: #"{"target": "provide"}"#).status == .accepted)
            try await conductor.settle()
            let object = #"{"target": "active", "configdrive": {"meta_data": {"hostname": "a"}, "user_data": "cloud-config"}}"#
            let vendor = #"{"target": "active", "configdrive": {"user_data": "x", "vendor_data": {"k": "v"}}}"#
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.55", json: object).status == .badRequest)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.58", json: vendor).status == .badRequest)
            let deployed = try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.59", json: vendor)
            #expect(deployed.status == .accepted, "\(deployed.fault)")
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .active)
        }
    }

    @Test("1.61: retired is 406 before; a retired node can not be provided (400)")
    func retired() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await manage(client, conductor, id)
            let retire = #"[{"op": "replace", "path": "/retired", "value": true}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.60", json: retire).status == .notAcceptable)
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.61", json: retire).status == .ok)
            let provide = try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.61", json: #"{"target": "provide"}"#)
            #expect(provide.status == .badRequest && provide.fault.contains("retired"), "\(provide.fault)")
            #expect(try await call(client, .get, "/v1/nodes?retired=true", version: "1.60").status == .notAcceptable)
            let listed = try await call(client, .get, "/v1/nodes?retired=true", version: "1.61")
            #expect((listed.body["nodes"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [id])
        }
    }

    @Test("1.64: local_link_connection.network_type is 406 before; managed or unmanaged from 1.64, else 400")
    func networkType() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            func port(_ mac: String, _ type: String) -> String {
                #"{"node_uuid": "\#(id)", "address": "\#(mac)", "local_link_connection": {"network_type": "\#(type)"}}"#
            }
            #expect(try await call(client, .post, "/v1/ports", version: "1.63", json: port("52:54:00:00:01:01", "unmanaged")).status == .notAcceptable)
            #expect(try await call(client, .post, "/v1/ports", version: "1.64", json: port("52:54:00:00:01:01", "sideways")).status == .badRequest)
            let created = try await call(client, .post, "/v1/ports", version: "1.64", json: port("52:54:00:00:01:01", "unmanaged"))
            #expect(created.status == .created, "\(created.fault)")
            let portID = try #require(created.body["uuid"] as? String)
            let patch = #"[{"op": "add", "path": "/local_link_connection/network_type", "value": "managed"}]"#
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.63", json: patch).status == .notAcceptable)
        }
    }

    @Test("1.65 lessee and 1.66 network_data: 406 before, stored and filtered from their versions")
    func lesseeAndNetworkData() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            #expect(try await call(client, .post, "/v1/nodes", version: "1.64", json: #"{"driver": "fake-hardware", "lessee": "p2"}"#).status == .notAcceptable)
            let created = try await call(client, .post, "/v1/nodes", version: "1.66",
                                         json: #"{"driver": "fake-hardware", "lessee": "p2", "network_data": {"links": []}}"#)
            #expect(created.status == .created, "\(created.fault)")
            let id = try #require(created.body["uuid"] as? String)
            #expect(created.body["lessee"] as? String == "p2")
            #expect((created.body["network_data"] as? [String: Any])?["links"] != nil)
            #expect(try await call(client, .get, "/v1/nodes?lessee=p2", version: "1.64").status == .notAcceptable)
            let listed = try await call(client, .get, "/v1/nodes?lessee=p2", version: "1.65")
            #expect((listed.body["nodes"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [id])
            let patch = #"[{"op": "replace", "path": "/network_data", "value": {}}]"#
            #expect(try await call(client, .patch, "/v1/nodes/\(id)", version: "1.65", json: patch).status == .notAcceptable)
            #expect(try await call(client, .get, "/v1/nodes/\(id)", version: "1.65").body["network_data"] == nil)
        }
    }

    @Test("1.68 agent_verify_ca: a heartbeat member refused (400) before, accepted (202) from it")
    func agentVerifyCA() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            let beat = #"{"callback_url": "http://10.0.0.5:9999", "agent_verify_ca": "/etc/ca.pem"}"#
            #expect(try await call(client, .post, "/v1/heartbeat/\(id)", version: "1.67", json: beat).status == .badRequest)
            let accepted = try await call(client, .post, "/v1/heartbeat/\(id)", version: "1.68", json: beat)
            #expect(accepted.status == .accepted, "\(accepted.fault)")
        }
    }

    @Test("1.69 deploy_steps and 1.70 disable_ramdisk: 406 before their versions, taken from them")
    func deployStepsAndDisableRamdisk() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await manage(client, conductor, id)
            let clean = #"{"target": "clean", "clean_steps": [{"interface": "deploy", "step": "erase_devices_metadata"}], "disable_ramdisk": true}"#
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.69", json: clean).status == .notAcceptable)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.11", json: #"{"target": "provide"}"#).status == .accepted)
            try await conductor.settle()
            let steps = #"{"target": "active", "deploy_steps": [{"interface": "deploy", "step": "write_image", "args": {}, "priority": 80}]}"#
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.68", json: steps).status == .notAcceptable)
            let deployed = try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.69", json: steps)
            #expect(deployed.status == .accepted, "\(deployed.fault)")
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .active)
        }
    }
}
