import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// Creates a port through the API and returns its document.
@discardableResult
func createPort(_ client: any TestClientProtocol, version: String = "1.11", json: String) async throws -> [String: Any] {
    try await client.execute(uri: "/v1/ports", method: .post, headers: headers(version), body: body(json)) { response in
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(jsonObject(response.body))
    }
}

@Suite("Ports: create, show, list, update, delete")
struct PortTests {
    @Test("POST creates on the node: 201, Location, MAC normalised; GET by UUID and by bookmark")
    func create() async throws {
        try await withAPI { client, conductor in
            let node = try uuid(try await createNode(client))
            let port = try await createPort(client, json: #"{"node_uuid": "\#(node)", "address": "52:54:00:AA:BB:01", "extra": {"k": "v"}}"#)
            let id = try uuid(port)
            #expect(port["address"] as? String == "52:54:00:aa:bb:01")
            #expect(port["node_uuid"] as? String == node)
            #expect(port["pxe_enabled"] == nil, "pxe_enabled arrives at 1.19")
            #expect((port["links"] as? [[String: Any]])?.first?["href"] as? String == "http://localhost/v1/ports/\(id)")
            try await client.execute(uri: "/ports/\(id)", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .ok)
                #expect(jsonObject(response.body)?["extra"] as? [String: String] == ["k": "v"])
            }
            let nodeID = try #require(UUID(uuidString: node))
            let aggregate = try #require(try conductor.commands.aggregate(nodeID))
            #expect(aggregate.ports.count == 1)
        }
    }

    @Test("fields are gated: local_link_connection and pxe_enabled 1.19, physical_network 1.34, name 1.88")
    func gatedFields() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let node = try uuid(try await createNode(client))
            let json = #"{"node_uuid": "\#(node)", "address": "52:54:00:aa:bb:02", "physical_network": "physnet1", "name": "eth0"}"#
            try await client.execute(uri: "/v1/ports", method: .post, headers: headers("1.34"), body: body(json)) { response in
                #expect(response.status == .notAcceptable, "name needs 1.88")
            }
            let port = try await createPort(client, version: "1.88", json: json)
            let id = try uuid(port)
            #expect(port["physical_network"] as? String == "physnet1" && port["pxe_enabled"] as? Bool == true)
            try await client.execute(uri: "/v1/ports/\(id)", method: .get, headers: headers("1.19")) { response in
                let shown = try #require(jsonObject(response.body))
                #expect(shown["pxe_enabled"] as? Bool == true && shown["local_link_connection"] != nil)
                #expect(shown["physical_network"] == nil && shown["name"] == nil)
            }
            try await client.execute(uri: "/v1/ports/eth0", method: .get, headers: headers("1.88")) { response in
                #expect(jsonObject(response.body)?["uuid"] as? String == id)
            }
            try await client.execute(uri: "/v1/ports/eth0", method: .get, headers: headers("1.87")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/ports/\(id)?fields=physical_network", method: .get, headers: headers("1.33")) { response in
                #expect(response.status == .notAcceptable)
            }
        }
    }

    @Test("create names its node by node_uuid or node_ident (1.94), not both (400, nothing stored)")
    func nodeUUIDOrIdent() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "name": "port-owner"}"#))
            let before = try conductor.store.currentHead().position
            for json in [#"{"node_uuid": "\#(node)", "node_ident": "port-owner", "address": "52:54:00:aa:bb:05"}"#,
                         #"{"node_uuid": "\#(node)", "node_ident": "\#(node)", "address": "52:54:00:aa:bb:05"}"#] {
                try await client.execute(uri: "/v1/ports", method: .post, headers: headers("1.94"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == before)
            try await createPort(client, version: "1.94", json: #"{"node_ident": "port-owner", "address": "52:54:00:aa:bb:05"}"#)
        }
    }

    @Test("create refusals: unknown node 400, missing address, bad MAC, unknown member, duplicate MAC 409; nothing stored")
    func createRefusals() async throws {
        try await withAPI { client, conductor in
            let node = try uuid(try await createNode(client))
            try await createPort(client, json: #"{"node_uuid": "\#(node)", "address": "52:54:00:aa:bb:03"}"#)
            let cases: [(String, HTTPResponse.Status)] = [
                (#"{"node_uuid": "\#(UUID().uuidString)", "address": "52:54:00:aa:bb:04"}"#, .badRequest),
                (#"{"node_uuid": "\#(node)"}"#, .badRequest),
                (#"{"address": "52:54:00:aa:bb:04"}"#, .badRequest),
                (#"{"node_uuid": "\#(node)", "address": "not-a-mac"}"#, .badRequest),
                (#"{"node_uuid": "\#(node)", "address": "52:54:00:aa:bb:04", "colour": 1}"#, .badRequest),
                (#"{"node_uuid": "\#(node)", "address": "52:54:00:aa:bb:04", "pxe_enabled": false}"#, .notAcceptable),
                (#"{"node_uuid": "\#(node)", "address": "52:54:00:AA:BB:03"}"#, .conflict),
            ]
            let before = try conductor.store.currentHead().position
            for (json, status) in cases {
                try await client.execute(uri: "/v1/ports", method: .post, headers: headers("1.11"), body: body(json)) { response in
                    #expect(response.status == status, "\(json): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == before)
        }
    }

    @Test("lists: default fields, detail, filters by node, node_uuid and address, pagination, node-scoped list")
    func lists() async throws {
        try await withAPI { client, _ in
            let first = try uuid(try await createNode(client))
            let second = try uuid(try await createNode(client))
            for (node, mac) in [(first, "52:54:00:00:00:01"), (first, "52:54:00:00:00:02"), (second, "52:54:00:00:00:03")] {
                try await createPort(client, json: #"{"node_uuid": "\#(node)", "address": "\#(mac)"}"#)
            }
            try await client.execute(uri: "/v1/ports", method: .get, headers: headers("1.11")) { response in
                let ports = try #require(jsonObject(response.body)?["ports"] as? [[String: Any]])
                #expect(ports.count == 3)
                #expect(Set(ports[0].keys) == ["uuid", "address", "links"])
            }
            try await client.execute(uri: "/v1/ports/detail?node_uuid=\(first)", method: .get, headers: headers("1.11")) { response in
                let ports = try #require(jsonObject(response.body)?["ports"] as? [[String: Any]])
                #expect(ports.count == 2 && ports.allSatisfy { $0["node_uuid"] as? String == first })
            }
            try await client.execute(uri: "/v1/ports?address=52:54:00:00:00:03", method: .get, headers: headers("1.11")) { response in
                #expect((jsonObject(response.body)?["ports"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/v1/ports?node=\(second)", method: .get, headers: headers("1.5")) { response in
                #expect(response.status == .notAcceptable, "node= arrives at 1.6")
            }
            try await client.execute(uri: "/v1/ports?limit=2", method: .get, headers: headers("1.11")) { response in
                let page = try #require(jsonObject(response.body))
                #expect((page["ports"] as? [Any])?.count == 2)
                #expect((page["next"] as? String)?.hasPrefix("http://localhost/v1/ports?limit=2&marker=") == true)
            }
            try await client.execute(uri: "/v1/nodes/\(second)/ports", method: .get, headers: headers("1.11")) { response in
                let ports = try #require(jsonObject(response.body)?["ports"] as? [[String: Any]])
                #expect(ports.map { $0["address"] as? String } == ["52:54:00:00:00:03"])
            }
            try await client.execute(uri: "/v1/nodes/\(second)/ports/detail?node=x", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/ports?colour=red", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("PATCH changes the port; read-only and moving nodes are 400; DELETE is 204 then 404")
    func updateAndDelete() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            let id = try uuid(try await createPort(client, json: #"{"node_uuid": "\#(node)", "address": "52:54:00:aa:bb:05"}"#))
            let patch = #"[{"op": "replace", "path": "/pxe_enabled", "value": false}, {"op": "add", "path": "/extra/a", "value": 1}]"#
            try await client.execute(uri: "/v1/ports/\(id)", method: .patch, headers: headers("1.19"), body: body(patch)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                let port = try #require(jsonObject(response.body))
                #expect(port["pxe_enabled"] as? Bool == false)
                #expect((port["extra"] as? [String: Any])?["a"] as? Int == 1)
            }
            let before = try conductor.store.currentHead().position
            for (json, status) in [
                (#"[{"op": "replace", "path": "/pxe_enabled", "value": true}]"#, HTTPResponse.Status.notAcceptable),
                (#"[{"op": "replace", "path": "/uuid", "value": "\#(UUID().uuidString)"}]"#, .badRequest),
                (#"[{"op": "replace", "path": "/node_uuid", "value": "\#(UUID().uuidString)"}]"#, .badRequest),
                (#"[{"op": "replace", "path": "/address", "value": "zz"}]"#, .badRequest),
                (#"{}"#, .badRequest),
            ] {
                try await client.execute(uri: "/v1/ports/\(id)", method: .patch, headers: headers("1.11"), body: body(json)) { response in
                    #expect(response.status == status, "\(json): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == before)
            try await client.execute(uri: "/v1/ports/\(id)", method: .delete, headers: headers("1.11")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/ports/\(id)", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .notFound)
                #expect(faultString(response) == "Port \(id) could not be found.")
            }
            try await client.execute(uri: "/v1/ports/not-a-uuid", method: .get, headers: headers("1.11")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
