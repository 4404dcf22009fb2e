import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Neutron view: /v2.0 version, ports and networks, read-only")
struct NeutronViewTests {
    @Test("GET /v2.0 is a version document keystoneauth discovers")
    func version() async throws {
        try await withAPI { client, _ in
            let root = try await call(client, .get, "/v2.0")
            #expect(root.status == .ok)
            let version = try #require(root.body["version"] as? [String: Any])
            #expect(version["id"] as? String == "v2.0" && version["status"] as? String == "CURRENT")
            #expect(try await call(client, .get, "/v2.0?x=1").status == .badRequest)
        }
    }

    @Test("a VIF attached with a network is a port of it: filters by binding:host_id (encoded or not), device_id, network_id, mac_address, id")
    func ports() async throws {
        try await withAPI { client, _ in
            #expect(try await call(client, .get, "/v2.0/ports").body["ports"] as? [Any] != nil)
            let network = try await call(client, .post, "/v1/networks", json: #"{"name": "tenant", "vlan": 31, "physical_network": "physnet1"}"#)
            let networkID = try #require(network.body["uuid"] as? String)
            let node = try uuid(try await createNode(client))
            let other = try uuid(try await createNode(client))
            for (owner, mac) in [(node, "52:54:00:00:41:01"), (node, "52:54:00:00:41:02"), (other, "52:54:00:00:41:03")] {
                let port = try await call(client, .post, "/v1/ports", version: "1.34",
                                          json: #"{"node_uuid": "\#(owner)", "address": "\#(mac)", "physical_network": "physnet1"}"#)
                #expect(port.status == .created, "\(port.fault)")
            }
            #expect(try await call(client, .post, "/v1/nodes/\(node)/vifs", version: "1.28", json: #"{"id": "vif-a", "network": "tenant"}"#).status == .noContent)
            #expect(try await call(client, .post, "/v1/nodes/\(node)/vifs", version: "1.28", json: #"{"id": "vif-b"}"#).status == .noContent)
            #expect(try await call(client, .post, "/v1/nodes/\(other)/vifs", version: "1.28", json: #"{"id": "vif-c", "network": "tenant"}"#).status == .noContent)

            let all = try #require(try await call(client, .get, "/v2.0/ports").body["ports"] as? [[String: Any]])
            #expect(Set(all.compactMap { $0["id"] as? String }) == ["vif-a", "vif-c"], "vif-b has no network, so it is no port")
            for query in ["binding:host_id=\(node)", "binding%3Ahost_id=\(node)", "device_id=\(node)", "id=vif-a",
                          "network_id=\(networkID)&binding:host_id=\(node)", "id=vif-a&id=vif-x"] {
                let listed = try #require(try await call(client, .get, "/v2.0/ports?\(query)").body["ports"] as? [[String: Any]], "\(query)")
                #expect(listed.compactMap { $0["id"] as? String } == ["vif-a"], "\(query)")
            }
            let port = try #require(try await call(client, .get, "/v2.0/ports/vif-a").body["port"] as? [String: Any])
            #expect(port["network_id"] as? String == networkID && port["binding:host_id"] as? String == node)
            #expect(["52:54:00:00:41:01", "52:54:00:00:41:02"].contains(port["mac_address"] as? String ?? ""))
            #expect((port["fixed_ips"] as? [Any])?.isEmpty == true && port["status"] as? String == "ACTIVE")
            let byMAC = try #require(try await call(client, .get, "/v2.0/ports?mac_address=\(port["mac_address"] as? String ?? "")").body["ports"] as? [[String: Any]])
            #expect(byMAC.compactMap { $0["id"] as? String } == ["vif-a"])
            #expect((try await call(client, .get, "/v2.0/ports?binding:host_id=\(UUID().uuidString.lowercased())").body["ports"] as? [Any])?.isEmpty == true)

            #expect(try await call(client, .get, "/v2.0/ports/vif-b").status == .notFound)
            #expect(try await call(client, .get, "/v2.0/ports?colour=red").status == .badRequest)
            #expect(try await call(client, .delete, "/v1/nodes/\(node)/vifs/vif-a", version: "1.28").status == .noContent)
            #expect(try await call(client, .get, "/v2.0/ports/vif-a").status == .notFound)
        }
    }

    @Test("networks: list with filters, show by UUID with provider fields; a name or an unknown UUID is 404")
    func networks() async throws {
        try await withAPI { client, _ in
            let created = try await call(client, .post, "/v1/networks", json: #"{"name": "storage", "vlan": 30, "physical_network": "physnet2"}"#)
            let id = try #require(created.body["uuid"] as? String)
            #expect(try await call(client, .post, "/v1/networks", json: #"{"name": "tenant", "vlan": 31}"#).status == .created)
            let listed = try #require(try await call(client, .get, "/v2.0/networks").body["networks"] as? [[String: Any]])
            #expect(listed.compactMap { $0["name"] as? String } == ["storage", "tenant"])
            let named = try #require(try await call(client, .get, "/v2.0/networks?name=storage").body["networks"] as? [[String: Any]])
            #expect(named.compactMap { $0["id"] as? String } == [id])
            let shown = try #require(try await call(client, .get, "/v2.0/networks/\(id)").body["network"] as? [String: Any])
            #expect(shown["name"] as? String == "storage" && shown["provider:segmentation_id"] as? Int == 30)
            #expect(shown["provider:physical_network"] as? String == "physnet2" && shown["provider:network_type"] as? String == "vlan")
            #expect(try await call(client, .get, "/v2.0/networks/storage").status == .notFound)
            #expect(try await call(client, .get, "/v2.0/networks/\(UUID().uuidString)").status == .notFound)
            #expect(try await call(client, .get, "/v2.0/networks?vlan=30").status == .badRequest)
            #expect(try await call(client, .post, "/v2.0/networks", json: "{}").status == .methodNotAllowed)
        }
    }
}
