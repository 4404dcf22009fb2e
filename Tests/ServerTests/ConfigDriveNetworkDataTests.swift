import Domain
import Engine
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing
@testable import Server

/// The network part of a config drive given as an object, as Ironic builds it.
@Suite("Config drive network data")
struct ConfigDriveNetworkDataTests {
    @Test("a config drive object without network_data gets the node's, built from its VIF bindings; one with it keeps its own")
    func networkDataFilledIn() async throws {
        try await withAPI { client, conductor in
            let id = try uuid(try await createNode(client))
            let node = try #require(UUID(uuidString: id))
            let port = #"{"node_uuid": "\#(id)", "address": "52:54:00:12:34:56"}"#
            #expect(try await call(client, .post, "/v1/ports", version: "1.59", json: port).status == .created)
            #expect(try await call(client, .post, "/v1/networks", json: #"{"name": "tenant-a", "vlan": 1001}"#).status == .created)
            let attach = try await call(client, .post, "/v1/nodes/\(id)/vifs", version: "1.59", json: #"{"id": "vif-a", "network": "tenant-a"}"#)
            #expect(attach.status == .noContent, "\(attach.fault)")
            try await manage(client, conductor, id)
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.59", json: #"{"target": "provide"}"#).status == .accepted)
            try await conductor.settle()

            let deploy = #"{"target": "active", "configdrive": {"meta_data": {"hostname": "a"}, "user_data": "cloud-config"}}"#
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.59", json: deploy).status == .accepted)
            try await conductor.settle()
            let drive = try recordedConfigDrive(conductor, node)
            let aggregate = try #require(try conductor.commands.aggregate(node))
            let networks = Dictionary(uniqueKeysWithValues: try conductor.networks.all().map { ($0.name, $0) })
            #expect(drive["network_data"] == NetworkData.document(for: aggregate, networks: networks))
            #expect(try await call(client, .get, "/v1/nodes/\(id)/network_data").body["links"] != nil)
            #expect(drive["meta_data"] == .object(["hostname": "a"]))
            guard case .array(let links)? = drive["network_data"]?["links"], case .object(let link)? = links.first else {
                Issue.record("no links in \(drive)")
                return
            }
            #expect(link["ethernet_mac_address"] == "52:54:00:12:34:56")

            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.59", json: #"{"target": "deleted"}"#).status == .accepted)
            try await conductor.settle()
            let own = #"{"target": "active", "configdrive": {"user_data": "x", "network_data": {"links": []}}}"#
            #expect(try await call(client, .put, "/v1/nodes/\(id)/states/provision", version: "1.59", json: own).status == .accepted)
            try await conductor.settle()
            #expect(try recordedConfigDrive(conductor, node)["network_data"] == .object(["links": .array([])]))
        }
    }

    /// The config drive of the node's last recorded deploy request, opened.
    private func recordedConfigDrive(_ conductor: Conductor, _ node: UUID) throws -> JSONValue {
        let events = try conductor.store.events(ofStream: NodeStream.id(node)).reversed()
        for recorded in events {
            guard case .provisionStateChanged(let change) = try NodeEvent.decode(payload: recorded.payload),
                  case .string(let sealed)? = change.arguments?.configdrive else { continue }
            let sealer = try #require(try conductor.keyring.sealer(for: node, create: false))
            return try JSONParser.parse(Data(try sealer.open(sealed, context: "\(node.lowercased)/configdrive").utf8))
        }
        Issue.record("no deploy request with a config drive on \(node)")
        return .null
    }
}
