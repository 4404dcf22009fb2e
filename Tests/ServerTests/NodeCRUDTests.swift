import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Nodes: create, show, list, update, delete")
struct NodeCRUDTests {
    @Test("POST creates through the conductor: 201, Location, interfaces filled in, secrets masked")
    func create() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let json = #"{"driver": "fake-hardware", "name": "node-1", "driver_info": {"ipmi_password": "s3cret", "ipmi_address": "10.0.0.1"}}"#
            try await client.execute(uri: "/v1/nodes", method: .post, headers: headers("1.31"), body: body(json)) { response in
                #expect(response.status == .created)
                let node = try #require(jsonObject(response.body))
                let id = try uuid(node)
                #expect(response.headers[.location] == "http://localhost/v1/nodes/\(id)")
                #expect(node["provision_state"] as? String == "enroll")
                #expect(node["power_interface"] as? String == "fake")
                #expect(node["name"] as? String == "node-1")
                let info = try #require(node["driver_info"] as? [String: Any])
                #expect(info["ipmi_password"] as? String == "******")
                #expect(info["ipmi_address"] as? String == "10.0.0.1")
                #expect(node["traits"] == nil, "traits arrive at 1.37")
                let links = try #require(node["links"] as? [[String: Any]])
                #expect(links.map { $0["rel"] as? String } == ["self", "bookmark"])
                #expect(links.last?["href"] as? String == "http://localhost/nodes/\(id)")
                #expect(node["states"] != nil && node["ports"] != nil)
            }
        }
    }

    @Test("fields are shown from their microversion on")
    func gatedFields() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let id = try uuid(try await createNode(client, version: "1.50", json: #"{"driver": "fake-hardware", "owner": "p1"}"#))
            try await client.execute(uri: "/v1/nodes/\(id)", method: .get, headers: headers("1.1")) { response in
                let node = try #require(jsonObject(response.body))
                #expect(node["name"] == nil && node["owner"] == nil && node["power_interface"] == nil && node["states"] == nil)
                #expect(node["driver_internal_info"] == nil)
                #expect(node["reservation"] != nil && node["console_enabled"] != nil)
            }
            try await client.execute(uri: "/v1/nodes/\(id)", method: .get, headers: headers("1.50")) { response in
                let node = try #require(jsonObject(response.body))
                #expect(node["owner"] as? String == "p1")
                #expect(node["description"] == nil)
                #expect(node["traits"] as? [String] == [])
            }
        }
    }

    @Test("create refusals: missing driver, unknown driver, unknown member, bad uuid, newer field, malformed JSON; nothing stored")
    func createRefusals() async throws {
        try await withAPI { client, conductor in
            let cases: [(String, HTTPResponse.Status)] = [
                (#"{"name": "x"}"#, .notAcceptable),
                (#"{}"#, .badRequest),
                (#"{"driver": "no-such-type"}"#, .badRequest),
                (#"{"driver": "fake-hardware", "colour": "blue"}"#, .badRequest),
                (#"{"driver": "fake-hardware", "uuid": "not-a-uuid"}"#, .badRequest),
                (#"{"driver": "fake-hardware", "extra": []}"#, .badRequest),
                (#"{"driver": "fake-hardware""#, .badRequest),
                (#"[1, 2]"#, .badRequest),
            ]
            let before = try conductor.store.currentHead().position
            for (json, status) in cases {
                try await client.execute(uri: "/v1/nodes", method: .post, headers: headers("1.1"), body: body(json)) { response in
                    #expect(response.status == status, "\(json): \(faultString(response))")
                    #expect(fault(response)?["faultcode"] as? String == "Client")
                }
            }
            #expect(try conductor.store.currentHead().position == before)
        }
    }

    @Test("a duplicate name is 409 and an oversized body 413")
    func conflictsAndLimits() async throws {
        try await withAPI { client, _ in
            try await createNode(client, json: #"{"driver": "fake-hardware", "name": "same"}"#)
            try await client.execute(uri: "/v1/nodes", method: .post, headers: headers("1.11"),
                                     body: body(#"{"driver": "fake-hardware", "name": "same"}"#)) { response in
                #expect(response.status == .conflict)
                #expect(faultString(response) == "A node with name same already exists.")
            }
            let huge = #"{"driver": "fake-hardware", "extra": {"x": ""# + String(repeating: "a", count: 2 * 1024 * 1024) + #""}}"#
            try await client.execute(uri: "/v1/nodes", method: .post, headers: headers("1.11"), body: body(huge)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(fault(response) != nil)
            }
        }
    }

    @Test("a node is found by UUID, or by name from 1.5; a bad ident is 400; an unknown one 404")
    func lookup() async throws {
        try await withAPI { client, _ in
            let id = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "name": "by-name"}"#))
            try await client.execute(uri: "/v1/nodes/by-name", method: .get, headers: headers("1.5")) { response in
                let found = try #require(jsonObject(response.body))
                #expect(found["uuid"] as? String == id)
            }
            try await client.execute(uri: "/v1/nodes/by-name", method: .get, headers: headers("1.4")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes/\(id.uppercased())", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/nodes/\(id)", method: .get) { response in
                #expect(response.status == .ok, "bookmark links resolve")
            }
            try await client.execute(uri: "/v1/nodes/bad%20name", method: .get, headers: headers("1.5")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/nodes/\(UUID().uuidString)", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(faultString(response).hasSuffix("could not be found."))
            }
        }
    }

    @Test("GET ?fields= selects (1.8), refusing unknown names (400) and newer ones (406)")
    func fieldSelection() async throws {
        try await withAPI { client, _ in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)?fields=uuid,driver", method: .get, headers: headers("1.8")) { response in
                let node = try #require(jsonObject(response.body))
                #expect(Set(node.keys) == ["uuid", "driver", "links"])
            }
            try await client.execute(uri: "/v1/nodes/\(id)?fields=uuid", method: .get, headers: headers("1.7")) { response in
                #expect(response.status == .notAcceptable)
            }
            try await client.execute(uri: "/v1/nodes/\(id)?fields=colour", method: .get, headers: headers("1.8")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/nodes/\(id)?fields=resource_class", method: .get, headers: headers("1.8")) { response in
                #expect(response.status == .notAcceptable)
            }
        }
    }

    @Test("PATCH applies a JSON Patch; refusals are 400, 406 or 409 and change nothing")
    func patch() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client))
            let ok = #"[{"op": "add", "path": "/extra/rack", "value": "r1"}, {"op": "replace", "path": "/name", "value": "renamed"}]"#
            try await client.execute(uri: "/v1/nodes/\(id)", method: .patch, headers: headers("1.11"), body: body(ok)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                let node = try #require(jsonObject(response.body))
                #expect((node["extra"] as? [String: Any])?["rack"] as? String == "r1")
                #expect(node["name"] as? String == "renamed")
            }
            let head = try conductor.store.currentHead().position
            let refusals: [(String, String, HTTPResponse.Status)] = [
                ("1.11", #"[{"op": "move", "path": "/name", "from": "/extra"}]"#, .badRequest),
                ("1.11", #"[{"op": "replace", "path": "/uuid", "value": "x"}]"#, .badRequest),
                ("1.11", #"[{"op": "replace", "path": "name", "value": "x"}]"#, .badRequest),
                ("1.11", #"{"op": "replace"}"#, .badRequest),
                ("1.11", #"[{"op": "replace", "path": "/resource_class", "value": "x"}]"#, .notAcceptable),
                ("1.1", #"[{"op": "replace", "path": "/name", "value": "x"}]"#, .notAcceptable),
                ("1.11", #"[{"op": "add", "path": "/maintenance", "value": 3}]"#, .badRequest),
            ]
            for (version, json, status) in refusals {
                try await client.execute(uri: "/v1/nodes/\(id)", method: .patch, headers: headers(version), body: body(json)) { response in
                    #expect(response.status == status, "\(json): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == head)
        }
    }

    @Test("a node can not be named . or .. (URLs remove them): 400 on create and patch, nothing stored")
    func dotNames() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client))
            let head = try conductor.store.currentHead().position
            for name in [".", ".."] {
                try await client.execute(uri: "/v1/nodes", method: .post, headers: headers("1.11"),
                                         body: body(#"{"driver": "fake-hardware", "name": "\#(name)"}"#)) { response in
                    #expect(response.status == .badRequest, "\(name): \(faultString(response))")
                }
                try await client.execute(uri: "/v1/nodes/\(id)", method: .patch, headers: headers("1.11"),
                                         body: body(#"[{"op": "replace", "path": "/name", "value": "\#(name)"}]"#)) { response in
                    #expect(response.status == .badRequest, "\(name): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == head)
        }
    }

    @Test("PATCH checks a changed driver or interface as create does: unknown ones are 400 and store nothing")
    func patchDriverAndInterfaces() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client, version: "1.31"))
            try await client.execute(uri: "/v1/nodes/\(id)", method: .patch, headers: headers("1.31"),
                                     body: body(#"[{"op": "replace", "path": "/deploy_interface", "value": "ramdisk"}]"#)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                #expect(jsonObject(response.body)?["deploy_interface"] as? String == "ramdisk")
            }
            let head = try conductor.store.currentHead().position
            for json in [#"[{"op": "replace", "path": "/driver", "value": "no-such-driver"}]"#,
                         #"[{"op": "replace", "path": "/power_interface", "value": "no-such-interface"}]"#,
                         #"[{"op": "replace", "path": "/power_interface", "value": "ipmitool"}]"#,
                         #"[{"op": "replace", "path": "/driver", "value": "ipmi"}]"#] {
                try await client.execute(uri: "/v1/nodes/\(id)", method: .patch, headers: headers("1.31"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(response.status) \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == head)
            #expect(try projected(conductor, id).driver == "fake-hardware")
        }
    }

    @Test("DELETE answers 204, then the node is gone; a deployed node refuses with 409")
    func delete() async throws {
        try await withAPI { client, _ in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)", method: .delete) { response in
                #expect(response.status == .noContent)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/v1/nodes/\(id)", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a known path with another method is 405 with Allow, in Ironic's body")
    func methodNotAllowed() async throws {
        try await withAPI { client, _ in
            try await client.execute(uri: "/v1/nodes", method: .put) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, POST")
                #expect(fault(response)?["faultcode"] as? String == "Client")
                #expect(response.headers[VersionNegotiation.minimumHeader] != nil)
            }
        }
    }
}
