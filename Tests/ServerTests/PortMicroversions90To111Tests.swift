import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The port and port group features of the table from 1.90 to 1.111, each refused just below its
/// version and served at it.
@Suite("Port and port group features 1.90–1.111, each at its microversion")
struct PortMicroversions90To111Tests {
    @Test("1.90–1.104: OVN VTEP keys in local_link_connection; 406 before 1.90, 400 from 1.105; both keys and port_id needed")
    func ovnVTEP() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            func port(_ mac: String, _ link: String) -> String { #"{"node_uuid": "\#(id)", "address": "\#(mac)", "local_link_connection": \#(link)}"# }
            let vtep = #"{"port_id": "p1", "vtep-logical-switch": "ls0", "vtep-physical-switch": "br0"}"#
            #expect(try await call(client, .post, "/v1/ports", version: "1.89", json: port("52:54:00:90:00:01", vtep)).status == .notAcceptable)
            #expect(try await call(client, .post, "/v1/ports", version: "1.105", json: port("52:54:00:90:00:01", vtep)).status == .badRequest)
            let half = #"{"port_id": "p1", "vtep-logical-switch": "ls0"}"#
            #expect(try await call(client, .post, "/v1/ports", version: "1.90", json: port("52:54:00:90:00:01", half)).status == .badRequest)
            let created = try await call(client, .post, "/v1/ports", version: "1.90", json: port("52:54:00:90:00:01", vtep))
            #expect(created.status == .created, "\(created.fault)")
            #expect((created.body["local_link_connection"] as? [String: Any])?["vtep-physical-switch"] as? String == "br0")
            let portID = try #require(created.body["uuid"] as? String)
            let patch = #"[{"op": "replace", "path": "/local_link_connection/vtep-logical-switch", "value": "ls1"}]"#
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.89", json: patch).status == .notAcceptable)
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.105", json: patch).status == .badRequest)
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.104", json: patch).status == .ok)
            let cleared = #"[{"op": "replace", "path": "/local_link_connection", "value": {}}]"#
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.115", json: cleared).status == .ok)
        }
    }

    @Test("1.97 description, 1.100 vendor, 1.101 category: 406 before, length-checked (400), hidden below their versions")
    func portFields() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            let fields: [(name: String, minor: Int, limit: Int)] = [("description", 97, 255), ("vendor", 100, 32), ("category", 101, 80)]
            for (index, field) in fields.enumerated() {
                let mac = "52:54:00:97:00:0\(index)"
                func json(_ value: String) -> String { #"{"node_uuid": "\#(id)", "address": "\#(mac)", "\#(field.name)": "\#(value)"}"# }
                #expect(try await call(client, .post, "/v1/ports", version: "1.\(field.minor - 1)", json: json("x")).status == .notAcceptable)
                let long = String(repeating: "a", count: field.limit + 1)
                #expect(try await call(client, .post, "/v1/ports", version: "1.\(field.minor)", json: json(long)).status == .badRequest, "\(field.name)")
                let created = try await call(client, .post, "/v1/ports", version: "1.\(field.minor)", json: json(String(repeating: "b", count: field.limit)))
                #expect(created.status == .created, "\(field.name): \(created.fault)")
                let portID = try #require(created.body["uuid"] as? String)
                #expect(try await call(client, .get, "/v1/ports/\(portID)", version: "1.\(field.minor - 1)").body[field.name] == nil)
                let patch = #"[{"op": "replace", "path": "/\#(field.name)", "value": "c"}]"#
                #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.\(field.minor - 1)", json: patch).status == .notAcceptable)
                #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.115", json: patch).body[field.name] as? String == "c")
            }
            let matching = try await call(client, .get, "/v1/ports?description_contains=c", version: "1.97")
            #expect((matching.body["ports"] as? [Any])?.count == 1)
            #expect(try await call(client, .get, "/v1/ports?description_contains=c", version: "1.96").status == .notAcceptable)
        }
    }

    @Test("1.102 physical_network and 1.103 category on port groups: 406 before, stored, hidden below")
    func portGroupFields() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            for (name, minor, value) in [("physical_network", 102, "physnet1"), ("category", 103, "storage")] {
                let json = #"{"node_uuid": "\#(id)", "name": "bond-\#(minor)", "\#(name)": "\#(value)"}"#
                #expect(try await call(client, .post, "/v1/portgroups", version: "1.\(minor - 1)", json: json).status == .notAcceptable)
                let created = try await call(client, .post, "/v1/portgroups", version: "1.\(minor)", json: json)
                #expect(created.status == .created && created.body[name] as? String == value, "\(created.fault)")
                #expect(try await call(client, .get, "/v1/portgroups/bond-\(minor)", version: "1.\(minor - 1)").body[name] == nil)
            }
            let long = #"{"node_uuid": "\#(id)", "category": "\#(String(repeating: "c", count: 81))"}"#
            #expect(try await call(client, .post, "/v1/portgroups", version: "1.103", json: long).status == .badRequest)
        }
    }

    @Test("1.111: port available_for_dynamic_portgroup and port group dynamic_portgroup, false by default; 406 before")
    func dynamicPortGroups() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client))
            let portJSON = #"{"node_uuid": "\#(id)", "address": "52:54:00:11:01:01", "available_for_dynamic_portgroup": true}"#
            #expect(try await call(client, .post, "/v1/ports", version: "1.110", json: portJSON).status == .notAcceptable)
            let plain = try await call(client, .post, "/v1/ports", version: "1.111", json: #"{"node_uuid": "\#(id)", "address": "52:54:00:11:01:02"}"#)
            #expect(plain.body["available_for_dynamic_portgroup"] as? Bool == false)
            let port = try await call(client, .post, "/v1/ports", version: "1.111", json: portJSON)
            #expect(port.status == .created && port.body["available_for_dynamic_portgroup"] as? Bool == true, "\(port.fault)")
            let portID = try #require(port.body["uuid"] as? String)
            #expect(try await call(client, .get, "/v1/ports/\(portID)", version: "1.110").body["available_for_dynamic_portgroup"] == nil)
            let off = #"[{"op": "replace", "path": "/available_for_dynamic_portgroup", "value": false}]"#
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.110", json: off).status == .notAcceptable)
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.111", json: off).body["available_for_dynamic_portgroup"] as? Bool == false)
            let wrong = #"[{"op": "replace", "path": "/available_for_dynamic_portgroup", "value": "yes please"}]"#
            #expect(try await call(client, .patch, "/v1/ports/\(portID)", version: "1.111", json: wrong).status == .badRequest)

            let groupJSON = #"{"node_uuid": "\#(id)", "name": "dyn", "dynamic_portgroup": true}"#
            #expect(try await call(client, .post, "/v1/portgroups", version: "1.110", json: groupJSON).status == .notAcceptable)
            let group = try await call(client, .post, "/v1/portgroups", version: "1.111", json: groupJSON)
            #expect(group.status == .created && group.body["dynamic_portgroup"] as? Bool == true, "\(group.fault)")
            #expect(try await call(client, .get, "/v1/portgroups/dyn", version: "1.110").body["dynamic_portgroup"] == nil)
            let listed = try await call(client, .get, "/v1/portgroups?fields=dynamic_portgroup", version: "1.110")
            #expect(listed.status == .notAcceptable)
        }
    }

    @Test("1.99 conductor_groups on ports and port groups, shard on ports (1.82) and port groups (1.106); 406 before")
    func owningNodeFilters() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let east = try uuid(try await createNode(client, version: "1.82", json: #"{"driver": "fake-hardware", "conductor_group": "East", "shard": "s1"}"#))
            let west = try uuid(try await createNode(client, version: "1.82", json: #"{"driver": "fake-hardware", "shard": "s2"}"#))
            var ports: [String: String] = [:], groups: [String: String] = [:]
            for (node, index) in [(east, 1), (west, 2)] {
                ports[node] = try uuid(try await createPort(client, json: #"{"node_uuid": "\#(node)", "address": "52:54:00:99:00:0\#(index)"}"#))
                let group = try await call(client, .post, "/v1/portgroups", version: "1.23", json: #"{"node_uuid": "\#(node)", "name": "g\#(index)"}"#)
                groups[node] = try #require(group.body["uuid"] as? String)
            }
            func listed(_ path: String, _ version: String, _ key: String) async throws -> [String?] {
                let result = try await call(client, .get, path, version: version)
                #expect(result.status == .ok, "\(path) at \(version): \(result.fault)")
                return (result.body[key] as? [[String: Any]] ?? []).map { $0["uuid"] as? String }
            }
            #expect(try await call(client, .get, "/v1/ports?conductor_groups=east", version: "1.98").status == .notAcceptable)
            #expect(try await call(client, .get, "/v1/portgroups?conductor_groups=east", version: "1.98").status == .notAcceptable)
            #expect(try await listed("/v1/ports?conductor_groups=east", "1.99", "ports") == [ports[east]])
            #expect(try await listed("/v1/ports?conductor_groups=nowhere,", "1.99", "ports") == [ports[west]], "an empty entry is the default group")
            #expect(try await listed("/v1/portgroups?conductor_groups=EAST", "1.99", "portgroups") == [groups[east]])
            #expect(try await call(client, .get, "/v1/ports?shard=s1", version: "1.81").status == .notAcceptable)
            #expect(try await listed("/v1/ports?shard=s2", "1.82", "ports") == [ports[west]])
            #expect(try await listed("/v1/ports/detail?shard=s1,s2", "1.115", "ports").count == 2)
            #expect(try await call(client, .get, "/v1/portgroups?shard=s1", version: "1.105").status == .notAcceptable)
            #expect(try await listed("/v1/portgroups?shard=s1", "1.106", "portgroups") == [groups[east]])
            #expect(try await listed("/v1/portgroups?shard=none", "1.106", "portgroups").isEmpty)
            let page = try await call(client, .get, "/v1/ports?shard=s1,s2&limit=1", version: "1.82")
            #expect((page.body["next"] as? String)?.contains("shard=s1") == true)
        }
    }
}
