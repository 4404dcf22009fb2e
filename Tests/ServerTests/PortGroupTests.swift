import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Port groups: /v1/portgroups and the node's and group's sub-collections")
struct PortGroupTests {
    @Test("1.23 creates and shows a group; 1.24 adds its ports link, member lists and port.portgroup_uuid; mode at 1.26")
    func lifecycle() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            let group = try await client.execute(uri: "/v1/portgroups", method: .post, headers: headers("1.23"),
                                                 body: body(#"{"node_uuid": "\#(node)", "name": "bond0", "address": "52:54:00:AA:00:01"}"#)) { response in
                #expect(response.status == .created, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                #expect(document["address"] as? String == "52:54:00:aa:00:01")
                #expect(document["mode"] == nil && document["ports"] == nil)
                return try uuid(document)
            }
            try await createPort(client, version: "1.24", json: #"{"node_uuid": "\#(node)", "address": "52:54:00:aa:00:02", "portgroup_uuid": "\#(group)"}"#)
            try await client.execute(uri: "/v1/portgroups/bond0", method: .get, headers: headers("1.26")) { response in
                let document = try #require(jsonObject(response.body))
                #expect(document["uuid"] as? String == group && document["mode"] as? String == "active-backup")
                #expect(document["ports"] != nil)
            }
            try await client.execute(uri: "/v1/portgroups/\(group)/ports", method: .get, headers: headers("1.24")) { response in
                #expect((jsonObject(response.body)?["ports"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/v1/nodes/\(node)/portgroups", method: .get, headers: headers("1.24")) { response in
                let groups = try #require(jsonObject(response.body)?["portgroups"] as? [[String: Any]])
                #expect(groups.count == 1 && Set(groups[0].keys) == ["uuid", "address", "name", "links"])
            }
            try await client.execute(uri: "/v1/ports?portgroup=bond0", method: .get, headers: headers("1.24")) { response in
                #expect((jsonObject(response.body)?["ports"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/v1/portgroups/\(group)", method: .patch, headers: headers("1.26"),
                                     body: body(#"[{"op": "replace", "path": "/mode", "value": "802.3ad"}]"#)) { response in
                #expect(jsonObject(response.body)?["mode"] as? String == "802.3ad", "\(faultString(response))")
            }
            let before = try conductor.store.currentHead().position
            try await client.execute(uri: "/v1/portgroups/\(group)", method: .delete, headers: headers("1.23")) { response in
                #expect(response.status == .badRequest, "a group with ports is not deleted")
            }
            #expect(try conductor.store.currentHead().position == before)
        }
    }

    @Test("below 1.23 every port group path is 404; below 1.24 the sub-collections are; bad create bodies are 400")
    func gating() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let node = try uuid(try await createNode(client))
            for (uri, method, version) in [
                ("/v1/portgroups", HTTPRequest.Method.get, "1.22"), ("/v1/portgroups", .post, "1.22"),
                ("/v1/portgroups/detail", .get, "1.22"), ("/v1/nodes/\(node)/portgroups", .get, "1.23"),
            ] {
                try await client.execute(uri: uri, method: method, headers: headers(version), body: body("{}")) { response in
                    #expect(response.status == .notFound, "\(method) \(uri) at \(version)")
                }
            }
            for json in [#"{"name": "x"}"#, #"{"node_uuid": "\#(UUID().uuidString)"}"#, #"{"node_uuid": "\#(node)", "address": "bad"}"#] {
                try await client.execute(uri: "/v1/portgroups", method: .post, headers: headers("1.23"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(faultString(response))")
                }
            }
            try await client.execute(uri: "/v1/portgroups", method: .post, headers: headers("1.23"),
                                     body: body(#"{"node_uuid": "\#(node)", "mode": "balance-rr"}"#)) { response in
                #expect(response.status == .notAcceptable, "mode needs 1.26")
            }
        }
    }

    @Test("port and port group names are logical names: hostile ones are 400, on create and patch, and store nothing")
    func names() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            let port = try await createPort(client, version: "1.88", json: #"{"node_uuid": "\#(node)", "address": "52:54:00:cc:00:01", "name": "eth0.left"}"#)
            let group = try await client.execute(uri: "/v1/portgroups", method: .post, headers: headers("1.88"),
                                                 body: body(#"{"node_uuid": "\#(node)", "name": "bond0_left~1"}"#)) { response in
                #expect(response.status == .created, "\(faultString(response))")
                return try #require(jsonObject(response.body))
            }
            let before = try conductor.store.currentHead().position
            let hostile = [String(repeating: "n", count: 256), "a\u{0}b", "my port", "é", "a/b", "'; DROP TABLE ports; --", "",
                           "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "detail"]
            for (index, name) in hostile.enumerated() {
                let mac = String(format: "52:54:00:cc:01:%02x", index)
                for (uri, json) in [("/v1/ports", #"{"node_uuid": "\#(node)", "address": "\#(mac)", "name": \#(jsonString(name))}"#),
                                    ("/v1/portgroups", #"{"node_uuid": "\#(node)", "name": \#(jsonString(name))}"#)] {
                    try await client.execute(uri: uri, method: .post, headers: headers("1.88"), body: body(json)) { response in
                        #expect(response.status == .badRequest, "\(uri) \(name.debugDescription): \(response.status) \(faultString(response))")
                    }
                }
                for uri in ["/v1/ports/\(try #require(port["uuid"] as? String))", "/v1/portgroups/\(try #require(group["uuid"] as? String))"] {
                    try await client.execute(uri: uri, method: .patch, headers: headers("1.88"),
                                             body: body(#"[{"op": "replace", "path": "/name", "value": \#(jsonString(name))}]"#)) { response in
                        #expect(response.status == .badRequest, "PATCH \(uri) \(name.debugDescription): \(response.status)")
                    }
                }
            }
            #expect(try conductor.store.currentHead().position == before)
            for uri in ["/v1/ports/eth0.left", "/v1/portgroups/bond0_left~1"] {
                try await client.execute(uri: uri, method: .get, headers: headers("1.88")) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
            }
        }
    }
}
