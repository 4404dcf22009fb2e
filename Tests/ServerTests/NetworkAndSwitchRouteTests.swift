import Domain
import EventStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Networks and switches: /v1/networks, /v1/switches, network-bind and network_data")
struct NetworkAndSwitchRouteTests {
    @Test("networks: create, show by UUID or name, list, bad input, duplicate names; delete refused while a VIF uses it")
    func networks() async throws {
        try await withAPI { client, conductor in
            let created = try await call(client, .post, "/v1/networks", json: #"{"name": "tenant-a", "vlan": 1000, "physical_network": "physnet1"}"#)
            #expect(created.status == .created, "\(created.fault)")
            let id = try #require(created.body["uuid"] as? String)
            #expect(created.body["vlan"] as? Int == 1000 && created.body["physical_network"] as? String == "physnet1")
            #expect(try await call(client, .get, "/v1/networks/tenant-a").body["uuid"] as? String == id)
            #expect(try await call(client, .get, "/v1/networks/\(id)").body["name"] as? String == "tenant-a")
            #expect((try await call(client, .get, "/v1/networks").body["networks"] as? [[String: Any]])?.count == 1)

            let duplicate = try await call(client, .post, "/v1/networks", json: #"{"name": "tenant-a", "vlan": 1001}"#)
            #expect(duplicate.status == .conflict && duplicate.fault == "A network with name tenant-a already exists.")
            for vlan in ["0", "4095", "\"12\"", "1.5"] {
                let refused = try await call(client, .post, "/v1/networks", json: #"{"name": "bad", "vlan": \#(vlan)}"#)
                #expect(refused.status == .badRequest && refused.fault.contains("vlan"), "\(vlan): \(refused.fault)")
            }
            let missing = try await call(client, .post, "/v1/networks", json: #"{"name": "novlan"}"#)
            #expect(missing.status == .badRequest && missing.fault == "Missing parameter: vlan.")
            let physnet = try await call(client, .post, "/v1/networks", json: #"{"name": "long", "vlan": 5, "physical_network": "\#(String(repeating: "p", count: 65))"}"#)
            #expect(physnet.status == .badRequest && physnet.fault.contains("physical_network"))
            let unknown = try await call(client, .post, "/v1/networks", json: #"{"name": "x", "vlan": 5, "segment": 3}"#)
            #expect(unknown.status == .badRequest)
            #expect(try await call(client, .get, "/v1/networks/nowhere").status == .notFound)

            // A VIF bound with the network keeps it from being deleted.
            let node = try uuid(try await createNode(client))
            #expect(try await call(client, .post, "/v1/ports", version: "1.34",
                                   json: #"{"node_uuid": "\#(node)", "address": "52:54:00:00:30:01", "physical_network": "physnet1"}"#).status == .created)
            let attached = try await call(client, .post, "/v1/nodes/\(node)/vifs", version: "1.28", json: #"{"id": "vif-1", "network": "tenant-a"}"#)
            #expect(attached.status == .noContent, "\(attached.fault)")
            let refused = try await call(client, .delete, "/v1/networks/tenant-a")
            #expect(refused.status == .conflict && refused.fault.contains("VIF vif-1 on node \(node)"))
            #expect(try await call(client, .delete, "/v1/nodes/\(node)/vifs/vif-1", version: "1.28").status == .noContent)
            #expect(try await call(client, .delete, "/v1/networks/tenant-a").status == .noContent)
            #expect(try await call(client, .get, "/v1/networks/tenant-a").status == .notFound)
            let types = try conductor.store.events(ofStream: NetworkStream.id(try #require(UUID(uuidString: id)))).map(\.type)
            #expect(types == ["NetworkCreated", "NetworkDeleted"])
        }
    }

    @Test("VIF attach with a network: unknown network 400, no port on its physical network 400, bound on a matching port")
    func vifNetworks() async throws {
        try await withAPI { client, _ in
            #expect(try await call(client, .post, "/v1/networks", json: #"{"name": "storage", "vlan": 30, "physical_network": "physnet2"}"#).status == .created)
            #expect(try await call(client, .post, "/v1/networks", json: #"{"name": "tenant", "vlan": 31}"#).status == .created)
            let node = try uuid(try await createNode(client))
            let port = try await call(client, .post, "/v1/ports", version: "1.34",
                                      json: #"{"node_uuid": "\#(node)", "address": "52:54:00:00:31:01", "physical_network": "physnet1"}"#)
            let portID = try #require(port.body["uuid"] as? String)

            let unknown = try await call(client, .post, "/v1/nodes/\(node)/vifs", version: "1.28", json: #"{"id": "vif-1", "network": "nowhere"}"#)
            #expect(unknown.status == .badRequest && unknown.fault.contains("Network nowhere is not configured"))
            let noPort = try await call(client, .post, "/v1/nodes/\(node)/vifs", version: "1.28", json: #"{"id": "vif-1", "network": "storage"}"#)
            #expect(noPort.status == .badRequest && noPort.fault == "Unable to attach VIF vif-1, not enough free physical ports on node \(node).")

            let bound = try await call(client, .post, "/v1/nodes/\(node)/vifs", version: "1.28", json: #"{"id": "vif-1", "network": "tenant"}"#)
            #expect(bound.status == .noContent, "\(bound.fault)")
            let shown = try await call(client, .get, "/v1/ports/\(portID)", version: "1.34")
            let info = try #require(shown.body["internal_info"] as? [String: Any])
            #expect(info["tenant_vif_port_id"] as? String == "vif-1" && info["tenant_network"] as? String == "tenant")

            let data = try await call(client, .get, "/v1/nodes/\(node)/network_data")
            let links = try #require(data.body["links"] as? [[String: Any]])
            #expect(links.count == 1 && links[0]["type"] as? String == "phy" && links[0]["ethernet_mac_address"] as? String == "52:54:00:00:31:01")
            let networks = try #require(data.body["networks"] as? [[String: Any]])
            #expect(networks.count == 1 && networks[0]["vlan_id"] as? Int == 31 && networks[0]["link"] as? String == "port-\(portID)")
            #expect((data.body["services"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a switch's ports show where the recorded moves left them; the switch and the network can not go while a port is on it")
    func switchPorts() async throws {
        try await withAPI { client, conductor in
            #expect(try await call(client, .post, "/v1/networks", json: #"{"name": "tenant", "vlan": 1000}"#).status == .created)
            #expect(try await call(client, .post, "/v1/switches",
                                   json: #"{"name": "sw1", "switch_id": "52:54:00:ff:00:01", "ovsdb": "tcp:127.0.0.1:6640", "bridge": "br0"}"#).status == .created)
            let node = try uuid(try await createNode(client))
            let port = try await call(client, .post, "/v1/ports", version: "1.19",
                                      json: #"{"node_uuid": "\#(node)", "address": "52:54:00:00:32:01", "local_link_connection": {"switch_id": "52:54:00:ff:00:01", "port_id": "p0"}}"#)
            let portText = try #require(port.body["uuid"] as? String)
            let portID = try #require(UUID(uuidString: portText))
            let move = SwitchPortChange(port: portID, switchName: "sw1", switchPort: "p0", vlan: 1000, network: "tenant", phase: .tenant,
                                        reason: "configure_tenant_networks")
            let nodeID = try #require(UUID(uuidString: node))
            try await conductor.commands.handle(.recordSwitchPort(move), node: nodeID, metadata: EventMetadata(actor: "tester"))

            let listed = try await call(client, .get, "/v1/switches/sw1/ports")
            let ports = try #require(listed.body["ports"] as? [[String: Any]])
            #expect(ports.count == 1)
            #expect(ports.first?["switch_port"] as? String == "p0" && ports.first?["vlan"] as? Int == 1000 && ports.first?["parked"] as? Bool == false)
            #expect(ports.first?["network"] as? String == "tenant" && ports.first?["phase"] as? String == "tenant")
            #expect(ports.first?["reason"] as? String == "configure_tenant_networks" && ports.first?["since"] is String)
            #expect(ports.first?["node_uuid"] as? String == node && ports.first?["address"] as? String == "52:54:00:00:32:01")

            let switchRefused = try await call(client, .delete, "/v1/switches/sw1")
            #expect(switchRefused.status == .conflict && switchRefused.fault.contains("p0 on tenant"))
            let networkRefused = try await call(client, .delete, "/v1/networks/tenant")
            #expect(networkRefused.status == .conflict && networkRefused.fault.contains("switch port sw1/p0"))

            let history = try await call(client, .get, "/v1/nodes/\(node)/history", version: "1.78")
            #expect("\(history.body)".contains("SwitchPortConfigured"))
        }
    }

    @Test("switches: register with a normalized switch_id, show, list, ports; bad input and duplicates refused")
    func switches() async throws {
        try await withAPI { client, _ in
            let created = try await call(client, .post, "/v1/switches",
                                         json: #"{"name": "sw1", "switch_id": "52-54-00-FF-00-01", "driver": "ovs", "ovsdb": "unix:/run/openvswitch/db.sock", "bridge": "br-nodes"}"#)
            #expect(created.status == .created, "\(created.fault)")
            #expect(created.body["switch_id"] as? String == "52:54:00:ff:00:01")
            #expect(try await call(client, .get, "/v1/switches/sw1").body["bridge"] as? String == "br-nodes")
            #expect((try await call(client, .get, "/v1/switches").body["switches"] as? [[String: Any]])?.count == 1)
            let ports = try await call(client, .get, "/v1/switches/sw1/ports")
            #expect(ports.status == .ok && (ports.body["ports"] as? [Any])?.isEmpty == true)

            let duplicate = try await call(client, .post, "/v1/switches",
                                           json: #"{"name": "sw1", "switch_id": "52:54:00:ff:00:02", "ovsdb": "tcp:127.0.0.1:6640", "bridge": "br0"}"#)
            #expect(duplicate.status == .conflict)
            for (field, json) in [
                ("switch_id", #"{"name": "sw2", "switch_id": "not-a-mac", "ovsdb": "tcp:127.0.0.1:6640", "bridge": "br0"}"#),
                ("ovsdb", #"{"name": "sw2", "switch_id": "0x0000000000000002", "ovsdb": "http://127.0.0.1", "bridge": "br0"}"#),
                ("driver", #"{"name": "sw2", "switch_id": "0x0000000000000002", "driver": "cisco", "ovsdb": "tcp:127.0.0.1:6640", "bridge": "br0"}"#),
                ("bridge", #"{"name": "sw2", "switch_id": "0x0000000000000002", "ovsdb": "tcp:127.0.0.1:6640"}"#),
            ] {
                let refused = try await call(client, .post, "/v1/switches", json: json)
                #expect(refused.status == .badRequest && refused.fault.contains(field), "\(field): \(refused.fault)")
            }
            #expect(try await call(client, .delete, "/v1/switches/sw1").status == .noContent)
            #expect(try await call(client, .get, "/v1/switches/sw1").status == .notFound)
        }
    }
}
