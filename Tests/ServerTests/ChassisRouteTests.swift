import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Chassis: /v1/chassis")
struct ChassisRouteTests {
    @Test("create, show, list (default fields, detail, fields, paging), patch, nodes, delete; recorded in the log")
    func lifecycle() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let created = try await call(client, .post, "/v1/chassis", version: "1.1", json: #"{"description": "rack 1", "extra": {"row": 3}}"#)
            #expect(created.status == .created, "\(created.fault)")
            let chassis = try uuid(created.body)
            #expect(created.body["description"] as? String == "rack 1" && (created.body["extra"] as? [String: Any])?["row"] as? Int == 3)
            #expect(((created.body["nodes"] as? [[String: Any]])?.first?["href"] as? String) == "http://localhost/v1/chassis/\(chassis)/nodes")
            try await client.execute(uri: "/v1/chassis", method: .post, headers: headers("1.1"), body: body("{}")) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location]?.hasPrefix("http://localhost/v1/chassis/") == true)
            }
            let list = try await call(client, .get, "/v1/chassis", version: "1.1")
            let items = try #require(list.body["chassis"] as? [[String: Any]])
            #expect(items.count == 2 && Set(items[0].keys) == ["uuid", "description", "links"])
            let detail = try await call(client, .get, "/v1/chassis/detail?limit=1&sort_key=description&sort_dir=desc", version: "1.1")
            let detailed = try #require(detail.body["chassis"] as? [[String: Any]])
            #expect(detailed.count == 1 && detailed[0]["uuid"] as? String == chassis && detailed[0]["extra"] != nil && detailed[0]["nodes"] != nil)
            #expect((detail.body["next"] as? String)?.hasPrefix("http://localhost/v1/chassis/detail?sort_key=description&sort_dir=desc&limit=1&marker=\(chassis)") == true)
            let detailTrue = try await call(client, .get, "/v1/chassis?detail=True", version: "1.43")
            #expect((detailTrue.body["chassis"] as? [[String: Any]])?.first?["created_at"] != nil)
            let fields = try await call(client, .get, "/v1/chassis/\(chassis)?fields=extra", version: "1.8")
            #expect(Set(fields.body.keys) == ["extra", "links"])

            let patched = try await call(client, .patch, "/v1/chassis/\(chassis)", version: "1.1",
                                         json: #"[{"op": "replace", "path": "/description", "value": "rack 2"}, {"op": "add", "path": "/extra/slot", "value": "a"}]"#)
            #expect(patched.status == .ok, "\(patched.fault)")
            #expect(patched.body["description"] as? String == "rack 2" && (patched.body["extra"] as? [String: Any])?["slot"] as? String == "a")
            #expect(patched.body["updated_at"] is String)

            let node = try uuid(try await createNode(client, json: #"{"driver": "fake-hardware", "chassis_uuid": "\#(chassis)"}"#))
            let nodes = try await call(client, .get, "/v1/chassis/\(chassis)/nodes", version: "1.1")
            #expect((nodes.body["nodes"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [node])
            let nodesDetail = try await call(client, .get, "/v1/chassis/\(chassis)/nodes/detail", version: "1.1")
            #expect((nodesDetail.body["nodes"] as? [[String: Any]])?.first?["chassis_uuid"] as? String == chassis)
            let paged = try await call(client, .get, "/v1/chassis/\(chassis)/nodes?limit=1", version: "1.1")
            #expect(paged.body["next"] as? String == "http://localhost/v1/chassis/\(chassis)/nodes?limit=1&marker=\(node)")

            let refused = try await call(client, .delete, "/v1/chassis/\(chassis)", version: "1.1")
            #expect(refused.status == .badRequest && refused.fault == "Cannot complete the requested action because chassis \(chassis) contains nodes.")
            #expect(try await call(client, .patch, "/v1/nodes/\(node)", version: "1.25", json: #"[{"op": "remove", "path": "/chassis_uuid"}]"#).status == .ok)
            #expect(try await call(client, .delete, "/v1/chassis/\(chassis)", version: "1.1").status == .noContent)
            #expect(try await call(client, .get, "/v1/chassis/\(chassis)", version: "1.1").status == .notFound)

            let stream = try #require(UUID(uuidString: chassis))
            #expect(try conductor.store.events(ofStream: ChassisStream.id(stream)).map(\.type) == ["ChassisCreated", "ChassisUpdated", "ChassisDeleted"])
            let log = try await call(client, .get, "/v1/events?stream=chassis/\(chassis)")
            #expect((log.body["events"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test("errors: 400 bad bodies and patches, 404 unknown, 400 unknown chassis on a node, 406 unsetting before 1.25 and newer parameters")
    func errors() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            for json in [#"{"description": "\#(String(repeating: "x", count: 256))"}"#, #"{"extra": "no"}"#, #"{"name": "x"}"#, #"{"uuid": "nope"}"#] {
                #expect(try await call(client, .post, "/v1/chassis", version: "1.1", json: json).status == .badRequest, "\(json)")
            }
            let chassis = try uuid(try await call(client, .post, "/v1/chassis", version: "1.1", json: "{}").body)
            #expect(try await call(client, .post, "/v1/chassis", version: "1.1", json: #"{"uuid": "\#(chassis)"}"#).status == .conflict)
            for patch in [#"[{"op": "replace", "path": "/uuid", "value": "x"}]"#, #"[{"op": "add", "path": "/nodes", "value": 1}]"#,
                          #"[{"op": "replace", "path": "/extra", "value": 1}]"#] {
                #expect(try await call(client, .patch, "/v1/chassis/\(chassis)", version: "1.1", json: patch).status == .badRequest, "\(patch)")
            }
            let missing = "00000000-0000-4000-8000-000000000009"
            #expect(try await call(client, .get, "/v1/chassis/\(missing)", version: "1.1").fault == "Chassis \(missing) could not be found.")
            #expect(try await call(client, .delete, "/v1/chassis/\(missing)", version: "1.1").status == .notFound)
            #expect(try await call(client, .get, "/v1/chassis/\(missing)/nodes", version: "1.1").status == .notFound)
            #expect(try await call(client, .get, "/v1/chassis/not-a-uuid", version: "1.1").status == .badRequest)
            #expect(try await call(client, .get, "/v1/chassis?marker=\(missing)", version: "1.1").status == .notFound)
            #expect(try await call(client, .get, "/v1/chassis?sort_key=extra", version: "1.1").status == .badRequest)
            #expect(try await call(client, .get, "/v1/chassis?fields=uuid", version: "1.7").status == .notAcceptable)
            #expect(try await call(client, .get, "/v1/chassis/\(chassis)?fields=uuid", version: "1.7").status == .notAcceptable)
            #expect(try await call(client, .get, "/v1/chassis?detail=True", version: "1.42").status == .notAcceptable)
            #expect(try await call(client, .get, "/v1/chassis/detail?fields=uuid", version: "1.43").status == .badRequest)

            let unknown = try await call(client, .post, "/v1/nodes", version: "1.11", json: #"{"driver": "fake-hardware", "chassis_uuid": "\#(missing)"}"#)
            #expect(unknown.status == .badRequest && unknown.fault == "Chassis \(missing) could not be found.")
            let node = try uuid(try await createNode(client))
            #expect(try await call(client, .patch, "/v1/nodes/\(node)", version: "1.11",
                                   json: #"[{"op": "add", "path": "/chassis_uuid", "value": "\#(missing)"}]"#).status == .badRequest)
            #expect(try await call(client, .patch, "/v1/nodes/\(node)", version: "1.11",
                                   json: #"[{"op": "add", "path": "/chassis_uuid", "value": "\#(chassis)"}]"#).status == .ok)
            #expect(try await call(client, .patch, "/v1/nodes/\(node)", version: "1.24",
                                   json: #"[{"op": "remove", "path": "/chassis_uuid"}]"#).status == .notAcceptable)
        }
    }

    @Test("/v1 links chassis")
    func linked() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let document = try await call(client, .get, "/v1", version: "1.1")
            #expect(((document.body["chassis"] as? [[String: Any]])?.first?["href"] as? String) == "http://localhost/v1/chassis/")
        }
    }
}
