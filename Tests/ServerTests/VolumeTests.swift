import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Volume: /v1/volume, connectors and targets")
struct VolumeTests {
    @Test("connectors and targets: create 201, list default fields, node-scoped lists, secrets masked, patch, delete")
    func lifecycle() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/volume", method: .get, headers: headers("1.32")) { response in
                let index = try #require(jsonObject(response.body))
                #expect(index["connectors"] != nil && index["targets"] != nil && index["links"] != nil)
            }
            let connector = try await client.execute(uri: "/v1/volume/connectors", method: .post, headers: headers("1.32"),
                                                     body: body(#"{"node_uuid": "\#(node)", "type": "iqn", "connector_id": "iqn.2017-07.org.example:01"}"#)) { response in
                #expect(response.status == .created, "\(faultString(response))")
                return try uuid(try #require(jsonObject(response.body)))
            }
            try await client.execute(uri: "/v1/volume/connectors", method: .post, headers: headers("1.32"),
                                     body: body(#"{"node_uuid": "\#(node)", "type": "iqn", "connector_id": "iqn.2017-07.org.example:01"}"#)) { response in
                #expect(response.status == .conflict)
            }
            let json = #"{"node_uuid": "\#(node)", "volume_type": "iscsi", "boot_index": 0, "volume_id": "v1", "properties": {"target_iqn": "iqn.x", "auth_password": "s3cret"}}"#
            let target = try await client.execute(uri: "/v1/volume/targets", method: .post, headers: headers("1.32"), body: body(json)) { response in
                #expect(response.status == .created, "\(faultString(response))")
                let document = try #require(jsonObject(response.body))
                let properties = try #require(document["properties"] as? [String: Any])
                #expect(properties["auth_password"] as? String == "******" && properties["target_iqn"] as? String == "iqn.x")
                return try uuid(document)
            }
            try await client.execute(uri: "/v1/volume/targets", method: .get, headers: headers("1.32")) { response in
                let targets = try #require(jsonObject(response.body)?["targets"] as? [[String: Any]])
                #expect(targets.count == 1 && Set(targets[0].keys) == ["uuid", "node_uuid", "volume_type", "boot_index", "volume_id", "links"])
            }
            try await client.execute(uri: "/v1/nodes/\(node)/volume/connectors?detail=True", method: .get, headers: headers("1.43")) { response in
                let connectors = try #require(jsonObject(response.body)?["connectors"] as? [[String: Any]])
                #expect(connectors.map { $0["uuid"] as? String } == [connector] && connectors[0]["extra"] != nil)
            }
            try await client.execute(uri: "/v1/volume/targets/\(target)", method: .patch, headers: headers("1.32"),
                                     body: body(#"[{"op": "replace", "path": "/volume_id", "value": "v2"}]"#)) { response in
                #expect(response.status == .badRequest, "the node must be powered off: \(faultString(response))")
            }
            try await client.execute(uri: "/v1/nodes/\(node)/states/power", method: .put, headers: headers("1.32"),
                                     body: body(#"{"target": "power off"}"#)) { response in
                #expect(response.status == .accepted)
            }
            try await conductor.settle()
            try await client.execute(uri: "/v1/volume/targets/\(target)", method: .patch, headers: headers("1.32"),
                                     body: body(#"[{"op": "replace", "path": "/volume_id", "value": "v2"}]"#)) { response in
                #expect(response.status == .ok, "\(faultString(response))")
                #expect(jsonObject(response.body)?["volume_id"] as? String == "v2")
            }
            try await client.execute(uri: "/v1/volume/connectors/\(connector)", method: .delete, headers: headers("1.32")) { response in
                #expect(response.status == .noContent, "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/volume/connectors/\(connector)", method: .get, headers: headers("1.32")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("refusals: 404 before 1.32, unknown node 400, missing fields 400, unknown member 400, unknown connector type 400; nothing stored")
    func refusals() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/volume/connectors", method: .get, headers: headers("1.31")) { response in
                #expect(response.status == .notFound)
            }
            let before = try conductor.store.currentHead().position
            for json in [
                #"{"node_uuid": "\#(UUID().uuidString)", "type": "iqn", "connector_id": "a"}"#,
                #"{"node_uuid": "\#(node)", "type": "iqn"}"#,
                #"{"node_uuid": "\#(node)", "type": "iqn", "connector_id": "a", "colour": 1}"#,
                #"{"node_uuid": "\#(node)", "type": "bogus", "connector_id": "a"}"#,
                #"{"node_uuid": "\#(node)", "type": "IQN", "connector_id": "a"}"#,
            ] {
                try await client.execute(uri: "/v1/volume/connectors", method: .post, headers: headers("1.32"), body: body(json)) { response in
                    #expect(response.status == .badRequest, "\(json): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == before)
        }
    }

    @Test("detail=True on the volume lists from 1.32, as in Ironic (the 1.43 gate is for nodes, ports, port groups, chassis)")
    func detailFromTheStart() async throws {
        try await withAPI(versions: everyVersion) { client, _ in
            let node = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/volume/connectors", method: .post, headers: headers("1.32"),
                                     body: body(#"{"node_uuid": "\#(node)", "type": "iqn", "connector_id": "iqn.2017-07.org.example:02"}"#)) { response in
                #expect(response.status == .created, "\(faultString(response))")
            }
            for path in ["/v1/volume/connectors?detail=True", "/v1/volume/connectors?node=\(node)&detail=True", "/v1/nodes/\(node)/volume/connectors?detail=True"] {
                try await client.execute(uri: path, method: .get, headers: headers("1.32")) { response in
                    #expect(response.status == .ok, "\(path): \(faultString(response))")
                    let connectors = try #require(jsonObject(response.body)?["connectors"] as? [[String: Any]])
                    #expect(connectors.count == 1 && connectors[0]["extra"] != nil && connectors[0]["created_at"] != nil, "\(path)")
                }
            }
            try await client.execute(uri: "/v1/volume/targets?detail=True", method: .get, headers: headers("1.32")) { response in
                #expect(response.status == .ok, "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/volume/connectors?detail=True&fields=uuid", method: .get, headers: headers("1.32")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
