import Domain
import Engine
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// An available fake-hardware node named `name` of resource class `baremetal`, through the API and the engine.
func availableNode(_ client: any TestClientProtocol, _ conductor: Conductor, name: String) async throws -> String {
    let id = try uuid(try await createNode(client, version: "1.52", json: #"{"driver": "fake-hardware", "name": "\#(name)", "resource_class": "baremetal"}"#))
    let node = try #require(UUID(uuidString: id))
    for verb in [ProvisionVerb.manage, .provide] {
        try await conductor.commands.handle(.provision(verb: verb, arguments: .init()), node: node, metadata: EventMetadata(actor: "tester"))
        try await conductor.settle()
    }
    return id
}

@Suite("Allocations: /v1/allocations and /v1/nodes/{node}/allocation")
struct AllocationRouteTests {
    @Test("create allocates a node; show by UUID and name; the node shows allocation_uuid; list with filters and paging")
    func lifecycle() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try await availableNode(client, conductor, name: "node-1")
            let allocation = try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.52", user: "alice", project: "p1"),
                                                      body: body(#"{"name": "alloc-1", "resource_class": "baremetal", "extra": {"k": "v"}}"#)) { response in
                #expect(response.status == .created, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                #expect(document["state"] as? String == "active" && document["node_uuid"] as? String == node)
                #expect(document["owner"] == nil, "owner is 1.60")
                #expect(response.headers[.location] == "http://localhost/v1/allocations/\(try uuid(document))")
                return try uuid(document)
            }
            for ident in [allocation, "alloc-1"] {
                try await client.execute(uri: "/v1/allocations/\(ident)", method: .get, headers: headers("1.60")) { response in
                    let document = try #require(jsonObject(response.body))
                    #expect(document["uuid"] as? String == allocation && document.keys.contains("owner"))
                }
            }
            try await client.execute(uri: "/v1/nodes/\(node)?fields=allocation_uuid,instance_uuid", method: .get, headers: headers("1.52")) { response in
                let document = try #require(jsonObject(response.body))
                #expect(document["allocation_uuid"] as? String == allocation && document["instance_uuid"] as? String == allocation)
            }
            try await client.execute(uri: "/v1/nodes/node-1/allocation?fields=uuid,state", method: .get, headers: headers("1.52")) { response in
                let document = try #require(jsonObject(response.body))
                #expect(Set(document.keys) == ["uuid", "state", "links"] && document["uuid"] as? String == allocation)
            }
            let history = try conductor.store.events(ofStream: AllocationStream.id(try #require(UUID(uuidString: allocation))))
            #expect(history.allSatisfy { $0.metadata.actor == "alice" && $0.metadata.project == "p1" && $0.metadata.requestID != nil })

            let failed = try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.52"),
                                                  body: body(#"{"resource_class": "baremetal"}"#)) { response in
                #expect(response.status == .created)
                let document = try #require(jsonObject(response.body))
                #expect(document["state"] as? String == "error")
                #expect((document["last_error"] as? String)?.contains("no available nodes match the resource class baremetal") == true)
                return try uuid(document)
            }
            try await client.execute(uri: "/v1/allocations?state=error", method: .get, headers: headers("1.52")) { response in
                let list = try #require(jsonObject(response.body)?["allocations"] as? [[String: Any]])
                #expect(list.map { $0["uuid"] as? String } == [failed])
            }
            try await client.execute(uri: "/v1/allocations?node=node-1&fields=uuid", method: .get, headers: headers("1.52")) { response in
                let list = try #require(jsonObject(response.body)?["allocations"] as? [[String: Any]])
                #expect(list.count == 1 && list[0]["uuid"] as? String == allocation && list[0]["state"] == nil)
            }
            try await client.execute(uri: "/v1/allocations?limit=1", method: .get, headers: headers("1.52")) { response in
                let document = try #require(jsonObject(response.body))
                #expect((document["allocations"] as? [Any])?.count == 1)
                #expect((document["next"] as? String)?.contains("limit=1&marker=\(allocation)") == true)
            }
            try await client.execute(uri: "/v1/allocations/alloc-1", method: .patch, headers: headers("1.57"),
                                     body: body(#"[{"op": "replace", "path": "/name", "value": "renamed"}, {"op": "add", "path": "/extra/x", "value": 1}]"#)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                #expect(jsonObject(response.body)?["name"] as? String == "renamed")
            }
            try await client.execute(uri: "/v1/nodes/\(node)/allocation", method: .delete, headers: headers("1.52")) { response in
                #expect(response.status == .noContent, "\(faultString(response))")
            }
            #expect(try projected(conductor, node).allocationUUID == nil && projected(conductor, node).instanceUUID == nil)
            try await client.execute(uri: "/v1/allocations/\(failed)", method: .delete, headers: headers("1.52")) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/allocations", method: .get, headers: headers("1.52")) { response in
                #expect((jsonObject(response.body)?["allocations"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test("backfill (1.58) takes the node's instance UUID; owner (1.60); candidate nodes by name")
    func backfillOwnerCandidates() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let first = try await availableNode(client, conductor, name: "first")
            let second = try await availableNode(client, conductor, name: "second")
            try await conductor.commands.handle(.update(patch: [["op": "add", "path": "/owner", "value": "p2"]]), node: try #require(UUID(uuidString: second)),
                                                metadata: EventMetadata(actor: "tester"))
            try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.60"),
                                     body: body(#"{"resource_class": "baremetal", "candidate_nodes": ["second"], "owner": "p2"}"#)) { response in
                #expect(response.status == .created)
                let document = try #require(jsonObject(response.body))
                #expect(document["node_uuid"] as? String == second && document["owner"] as? String == "p2")
                #expect(document["candidate_nodes"] as? [String] == [second])
            }
            let instance = UUID().uuidString.lowercased()
            let node = try #require(UUID(uuidString: first))
            try await conductor.commands.handle(.provision(verb: .active, arguments: .init()), node: node, metadata: EventMetadata(actor: "tester"))
            try await conductor.settle()
            try await conductor.commands.handle(.update(patch: [["op": "add", "path": "/instance_uuid", "value": .string(instance)]]), node: node,
                                                metadata: EventMetadata(actor: "tester"))
            try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.57"), body: body(#"{"node": "first"}"#)) { response in
                #expect(response.status == .badRequest, "node needs 1.58")
            }
            try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.58"), body: body(#"{"node": "first"}"#)) { response in
                #expect(response.status == .created, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                #expect(document["uuid"] as? String == instance && document["state"] as? String == "active")
                #expect(document["resource_class"] as? String == "baremetal")
            }
            #expect(try projected(conductor, first).allocationUUID?.uuidString.lowercased() == instance)
            try await client.execute(uri: "/v1/allocations/\(instance)", method: .delete, headers: headers("1.58")) { response in
                #expect(response.status == .conflict, "the node is active")
            }
        }
    }

    @Test("errors: 400 bad input, 404 unknown, 409 duplicate name, 404/405 below 1.52, 405 PATCH below 1.57, 406 owner below 1.60")
    func errors() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            _ = try await availableNode(client, conductor, name: "n")
            for json in [#"{}"#, #"{"resource_class": "baremetal", "traits": ["lower"]}"#, #"{"resource_class": "baremetal", "name": "bad name"}"#,
                         #"{"resource_class": "baremetal", "candidate_nodes": ["missing"]}"#, #"{"resource_class": "baremetal", "bogus": 1}"#,
                         #"{"resource_class": "baremetal", "uuid": "not-a-uuid"}"#, #"{"resource_class": "baremetal", "extra": []}"#] {
                try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.60"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(faultString(response))")
                }
            }
            try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.52"), body: body(#"{"resource_class": "x", "name": "dup"}"#)) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.52"), body: body(#"{"resource_class": "x", "name": "dup"}"#)) { response in
                #expect(response.status == .conflict && faultString(response) == "An allocation with name dup already exists.")
            }
            try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.59"), body: body(#"{"resource_class": "x", "owner": "p"}"#)) { response in
                #expect(response.status == .notAcceptable)
            }
            try await client.execute(uri: "/v1/allocations?owner=p", method: .get, headers: headers("1.59")) { response in
                #expect(response.status == .notAcceptable)
            }
            try await client.execute(uri: "/v1/allocations/missing", method: .get, headers: headers("1.52")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/nodes/n/allocation", method: .get, headers: headers("1.52")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/allocations/dup", method: .patch, headers: headers("1.56"),
                                     body: body(#"[{"op": "replace", "path": "/name", "value": "x"}]"#)) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/v1/allocations/dup", method: .patch, headers: headers("1.57"),
                                     body: body(#"[{"op": "replace", "path": "/resource_class", "value": "y"}]"#)) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/allocations", method: .get, headers: headers("1.51")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/allocations", method: .post, headers: headers("1.51"), body: body(#"{"resource_class": "x"}"#)) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/v1/nodes/n/allocation", method: .get, headers: headers("1.51")) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.52")) { response in
                #expect(jsonObject(response.body)?["allocations"] != nil && jsonObject(response.body)?["deploy_templates"] == nil)
            }
            try await client.execute(uri: "/v1", method: .get, headers: headers("1.51")) { response in
                #expect(jsonObject(response.body)?["allocations"] == nil)
            }
        }
    }
}
