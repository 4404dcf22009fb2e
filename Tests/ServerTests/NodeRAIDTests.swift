import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Nodes: PUT /states/raid")
struct NodeRAIDTests {
    static let config = #"{"logical_disks": [{"size_gb": 100, "raid_level": "1", "is_root_volume": true, "volume_name": "root", "controller": "RAID.Integrated.1-1"}]}"#

    @Test("1.12 stores target_raid_config (204), shown in /states; {} clears it")
    func setTarget() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            try await client.execute(uri: "/v1/nodes/\(id)/states/raid", method: .put, headers: headers("1.12"), body: body(Self.config)) { response in
                #expect(response.status == .noContent, "\(faultString(response))")
            }
            try await client.execute(uri: "/v1/nodes/\(id)/states", method: .get, headers: headers("1.12")) { response in
                let states = try #require(jsonObject(response.body))
                let target = try #require(states["target_raid_config"] as? [String: Any])
                #expect((target["logical_disks"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/v1/nodes/\(id)/states/raid", method: .put, headers: headers("1.12"), body: body("{}")) { response in
                #expect(response.status == .noContent)
            }
            #expect(try projected(conductor, id).targetRAIDConfig == .emptyObject)
        }
    }

    @Test("refusals: below 1.12 406, malformed 400, not an object 400, unknown disk members 400, no-raid 404; nothing stored")
    func refusals() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let id = try uuid(try await createNode(client))
            let noRAID = try uuid(try await createNode(client, version: "1.31", json: #"{"driver": "fake-hardware", "raid_interface": "no-raid"}"#))
            let before = try conductor.store.currentHead().position
            for (node, version, json, status) in [
                (id, "1.11", Self.config, HTTPResponse.Status.notAcceptable),
                (id, "1.12", #"{"logical_disks": []}"#, .badRequest),
                (id, "1.12", #"{"logical_disks": [{"size_gb": 1, "raid_level": "9"}]}"#, .badRequest),
                (id, "1.12", #"[1]"#, .badRequest),
                (id, "1.12", #"{"logical_disks": [{"size_gb": 10, "raid_level": "1", "bogus": 1}]}"#, .badRequest),
                (noRAID, "1.12", Self.config, .notFound),
            ] {
                try await client.execute(uri: "/v1/nodes/\(node)/states/raid", method: .put, headers: headers(version), body: body(json)) { response in
                    #expect(response.status == status, "\(json): \(faultString(response))")
                }
            }
            #expect(try conductor.store.currentHead().position == before)
        }
    }
}
