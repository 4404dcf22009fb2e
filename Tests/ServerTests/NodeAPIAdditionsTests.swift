import Domain
import EventStore
import Projections
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Network events (1.54), drivers fields (1.77), history (1.78), inventory (1.81), shards (1.82), children (1.83), continue_inspection (1.84)")
struct NodeAPIAdditionsTests {
    static let portID = "8c2b0a1e-4a4d-4b4e-9f41-6d8d4f2d0a11"

    static func event(_ name: String = "network.bind_port", mac: String = "52:54:00:aa:bb:01", extra: String = "") -> String {
        #"{"events": [{"event": "\#(name)", "port_id": "\#(portID)", "mac_address": "\#(mac)", "status": "ACTIVE", "binding:host_id": "node-1", "binding:vnic_type": "baremetal"\#(extra)}]}"#
    }

    @Test("POST /v1/events: 200; recorded on the node with a port of that MAC; an unknown MAC ignored; 404 before 1.54")
    func networkEvents() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let port = try await call(client, .post, "/v1/ports", version: "1.11", json: #"{"node_uuid": "\#(id)", "address": "52:54:00:AA:BB:01"}"#)
            #expect(port.status == .created)
            #expect(try await call(client, .post, "/v1/events", version: "1.53", json: Self.event()).status == .notFound)
            let posted = try await call(client, .post, "/v1/events", version: "1.54", json: Self.event())
            #expect(posted.status == .ok, "\(posted.fault)")
            #expect(try eventTypes(conductor, id).last == "NetworkEventReceived")
            let uuid = try #require(UUID(uuidString: id))
            let recorded = try #require(try conductor.store.events(ofStream: NodeStream.id(uuid)).last)
            #expect(try NodeEvent.decode(payload: recorded.payload) == .networkEventReceived(event: NetworkEvent(
                event: .bindPort, portID: Self.portID, macAddress: "52:54:00:aa:bb:01", status: "ACTIVE",
                bindingHostID: "node-1", bindingVNICType: "baremetal")))
            let head = try conductor.store.currentHead().position
            #expect(try await call(client, .post, "/v1/events", version: "1.54", json: Self.event(mac: "52:54:00:aa:bb:99")).status == .ok)
            #expect(try conductor.store.currentHead().position == head)
            // GET /v1/events stays the log extension.
            #expect(try await call(client, .get, "/v1/events?limit=1", version: "1.54").status == .ok)
        }
    }

    @Test("POST /v1/events: malformed bodies are 400 and record nothing")
    func networkEventRefusals() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            _ = try await createNode(client)
            let head = try conductor.store.currentHead().position
            let bodies = [
                #"{}"#, #"{"events": {}}"#, #"{"events": [], "more": 1}"#, #"{"events": [1]}"#,
                Self.event("network.explode"), Self.event(mac: "not-a-mac"), Self.event(extra: #", "colour": "red""#),
                Self.event(extra: #", "device_id": "not-a-uuid""#),
                #"{"events": [{"event": "network.bind_port", "mac_address": "52:54:00:aa:bb:01", "status": "ACTIVE"}]}"#,
            ]
            for json in bodies {
                let result = try await call(client, .post, "/v1/events", version: "1.54", json: json)
                #expect(result.status == .badRequest, "\(json): \(result.fault)")
            }
            #expect(try conductor.store.currentHead().position == head)
        }
    }

    @Test("GET /v1 links events (1.54), shards (1.82) and continue_inspection (1.84) from their versions")
    func v1Links() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let old = try await call(client, .get, "/v1", version: "1.53")
            #expect(old.body["events"] == nil && old.body["shards"] == nil)
            let new = try await call(client, .get, "/v1", version: "1.84")
            #expect(new.body["events"] != nil && new.body["shards"] != nil && new.body["continue_inspection"] != nil)
        }
    }

    @Test("drivers: fields from 1.77 (406 before), narrowing list and show; with detail 400; unknown 400")
    func driverFields() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            #expect(try await call(client, .get, "/v1/drivers?fields=name", version: "1.76").status == .notAcceptable)
            let listed = try await call(client, .get, "/v1/drivers?fields=name,default_bios_interface", version: "1.77")
            let fake = try #require((listed.body["drivers"] as? [[String: Any]])?.first { $0["name"] as? String == "fake-hardware" })
            #expect(Set(fake.keys) == ["name", "default_bios_interface", "links"])
            #expect(fake["default_bios_interface"] as? String == "fake")
            let one = try await call(client, .get, "/v1/drivers/redfish?fields=enabled_bios_interfaces", version: "1.77")
            #expect(Set(one.body.keys) == ["enabled_bios_interfaces", "links"])
            #expect(try await call(client, .get, "/v1/drivers?fields=name&detail=True", version: "1.77").status == .badRequest)
            #expect(try await call(client, .get, "/v1/drivers?fields=colour", version: "1.77").status == .badRequest)
        }
    }

    @Test("history records carry Ironic's fields, conductor included")
    func historyShape() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            let history = try await call(client, .get, "/v1/nodes/\(id)/history", version: "1.78")
            let record = try #require((history.body["history"] as? [[String: Any]])?.first)
            #expect(Set(record.keys).isSuperset(of: ["uuid", "created_at", "severity", "event", "event_type", "user", "conductor", "links"]))
            #expect(record["conductor"] as? String == "test-conductor")
            let uuid = try #require(record["uuid"] as? String)
            let one = try await call(client, .get, "/v1/nodes/\(id)/history/\(uuid)", version: "1.78")
            #expect(one.body["conductor"] as? String == "test-conductor")
        }
    }

    @Test("inventory: 404 below 1.81 and before inspection; the inventory after it, plugin_data {}")
    func inventory() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            #expect(try await call(client, .get, "/v1/nodes/\(id)/inventory", version: "1.80").status == .notFound)
            let never = try await call(client, .get, "/v1/nodes/\(id)/inventory", version: "1.81")
            #expect(never.status == .notFound && never.fault.contains("inventory"), "\(never.fault)")
            try await manage(client, conductor, id)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.11", json: #"{"target": "inspect"}"#).status == .accepted)
            try await conductor.settle()
            let found = try await call(client, .get, "/v1/nodes/\(id)/inventory", version: "1.81")
            #expect(found.status == .ok, "\(found.fault)")
            #expect(found.body["inventory"] as? [String: Any] != nil)
            #expect((found.body["plugin_data"] as? [String: Any])?.isEmpty == true)
        }
    }

    @Test("continue_inspection: the agent's data ends inspect wait; inventory and plugin_data shown; 404s and 400s")
    func continueInspection() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "driver_info": {"fake_wait": "inspect.inspect_hardware"}}"#))
            let port = try await call(client, .post, "/v1/ports", version: "1.11", json: #"{"node_uuid": "\#(id)", "address": "52:54:00:aa:bb:02"}"#)
            #expect(port.status == .created)
            let data = #"{"inventory": {"interfaces": [{"name": "eth0", "mac_address": "52:54:00:AA:BB:02"}], "cpu": {"count": 4, "architecture": "x86_64"}, "memory": {"physical_mb": 8192}}, "root_disk": {"name": "/dev/sda"}}"#
            #expect(try await call(client, .post, "/v1/continue_inspection", version: "1.83", json: data).status == .notFound)
            #expect(try await call(client, .post, "/v1/continue_inspection", version: "1.84", json: data).status == .notFound, "not in inspect wait")
            try await manage(client, conductor, id)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.11", json: #"{"target": "inspect"}"#).status == .accepted)
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .inspectWait)
            for bad in [#"{}"#, #"{"inventory": []}"#, #"{"inventory": {"cpu": {}}}"#, #"{"inventory": {"interfaces": [{"mac_address": "zz"}]}}"#] {
                let result = try await call(client, .post, "/v1/continue_inspection", version: "1.84", json: bad)
                #expect(result.status == .badRequest, "\(bad): \(result.fault)")
            }
            let posted = try await call(client, .post, "/v1/continue_inspection", version: "1.84", json: data)
            #expect(posted.status == .accepted, "\(posted.fault)")
            #expect(posted.body["uuid"] as? String == id)
            try await conductor.settle()
            #expect(try projected(conductor, id).provisionState == .manageable)
            let found = try await call(client, .get, "/v1/nodes/\(id)/inventory", version: "1.84")
            #expect(((found.body["inventory"] as? [String: Any])?["cpu"] as? [String: Any])?["count"] as? Int == 4)
            #expect(((found.body["plugin_data"] as? [String: Any])?["root_disk"] as? [String: Any])?["name"] as? String == "/dev/sda")
        }
    }

    @Test("shards: 404 below 1.82; counts of nodes per shard; shard and sharded filters")
    func shards() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            #expect(try await call(client, .get, "/v1/shards", version: "1.81").status == .notFound)
            let a1 = try uuid(try await createNode(client, version: "1.82", json: #"{"driver": "fake-hardware", "shard": "a"}"#))
            _ = try await createNode(client, version: "1.82", json: #"{"driver": "fake-hardware", "shard": "a"}"#)
            let b = try uuid(try await createNode(client, version: "1.82", json: #"{"driver": "fake-hardware", "shard": "b"}"#))
            let none = try uuid(try await createNode(client))
            let listed = try await call(client, .get, "/v1/shards", version: "1.82")
            let shards = try #require(listed.body["shards"] as? [[String: Any]])
            #expect(shards.map { $0["name"] as? String } == ["a", "b"])
            #expect(shards.map { $0["count"] as? Int } == [2, 1])
            let inB = try await call(client, .get, "/v1/nodes?shard=b", version: "1.82")
            #expect((inB.body["nodes"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [b])
            let unsharded = try await call(client, .get, "/v1/nodes?sharded=false", version: "1.82")
            #expect((unsharded.body["nodes"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [none])
            #expect(try await call(client, .get, "/v1/nodes?shard=a", version: "1.81").status == .notAcceptable)
            _ = a1
        }
    }

    @Test("children: 404 below 1.83; parent_node named by UUID or name, stored as a UUID; list filters include_children and parent_node")
    func children() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let parent = try uuid(try await createNode(client, version: "1.83", json: #"{"driver": "fake-hardware", "name": "chassis-1"}"#))
            let byUUID = try uuid(try await createNode(client, version: "1.83", json: #"{"driver": "fake-hardware", "parent_node": "\#(parent)"}"#))
            let byName = try uuid(try await createNode(client, version: "1.83", json: #"{"driver": "fake-hardware", "parent_node": "chassis-1"}"#))
            #expect(try await call(client, .get, "/v1/nodes/\(parent)/children", version: "1.82").status == .notFound)
            let listed = try await call(client, .get, "/v1/nodes/chassis-1/children", version: "1.83")
            #expect(listed.body["children"] as? [String] == [byUUID, byName].sorted())
            let empty = try await call(client, .get, "/v1/nodes/\(byUUID)/children", version: "1.83")
            #expect((empty.body["children"] as? [String])?.isEmpty == true)
            let top = try await call(client, .get, "/v1/nodes", version: "1.83")
            #expect((top.body["nodes"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [parent])
            let all = try await call(client, .get, "/v1/nodes?include_children=True", version: "1.83")
            #expect((all.body["nodes"] as? [Any])?.count == 3)
            let ofParent = try await call(client, .get, "/v1/nodes?parent_node=\(parent)", version: "1.83")
            #expect(Set((ofParent.body["nodes"] as? [[String: Any]])?.compactMap { $0["uuid"] as? String } ?? []) == [byUUID, byName])
            let child = try await call(client, .get, "/v1/nodes/\(byName)", version: "1.83")
            #expect(child.body["parent_node"] as? String == parent, "stored as the parent's UUID")
            let unknown = try await call(client, .post, "/v1/nodes", version: "1.83", json: #"{"driver": "fake-hardware", "parent_node": "no-such-node"}"#)
            #expect(unknown.status == .badRequest, "\(unknown.fault)")
            let moved = try await call(client, .patch, "/v1/nodes/\(byUUID)", version: "1.83",
                                       json: #"[{"op": "replace", "path": "/parent_node", "value": "\#(byName)"}]"#)
            #expect(moved.body["parent_node"] as? String == byName)
            #expect(try await call(client, .get, "/v1/nodes?include_children=True", version: "1.82").status == .notAcceptable)
        }
    }
}
