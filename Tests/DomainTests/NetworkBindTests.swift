import Domain
import Foundation
import Testing

@Suite("Network-bind: networks, switches, tenant networks and switch port moves")
struct NetworkBindTests {
    @Test("a network needs a name and a VLAN of 1 to 4094; its physical network is at most 64 characters")
    func networkRules() throws {
        let uuid = UUID()
        #expect(try NetworkDecider.create(uuid: uuid, fields: ["name": "prov", "vlan": 100])
            == [.networkCreated(network: Network(uuid: uuid, name: "prov", vlan: 100))])
        for vlan: JSONValue in [0, 4095, -1, 1.5, "7"] {
            #expect(throws: DomainError.self) { try NetworkDecider.create(uuid: uuid, fields: ["name": "n", "vlan": vlan]) }
        }
        #expect(throws: DomainError.missingParameter("name")) { try NetworkDecider.create(uuid: uuid, fields: ["vlan": 5]) }
        #expect(throws: DomainError.self) { try NetworkDecider.create(uuid: uuid, fields: ["name": "n", "vlan": 5, "physical_network": .string(String(repeating: "x", count: 65))]) }
        #expect(throws: DomainError.self) { try NetworkDecider.create(uuid: uuid, fields: ["name": .string(UUID().uuidString), "vlan": 5]) }
        let network = Network(uuid: uuid, name: "prov", vlan: 100)
        #expect(throws: DomainError.self) { try NetworkDecider.delete(network, users: ["the provisioning phase"]) }
        #expect(try NetworkDecider.delete(network, users: []) == [.networkDeleted])
    }

    @Test("a switch is named by switch_id (normalized) or by switch_info equal to its name")
    func switchMatching() throws {
        let uuid = UUID()
        let events = try ManagedSwitchDecider.create(uuid: uuid, fields: [
            "name": "sw1", "switch_id": "0X00000000000000AB", "ovsdb": "tcp:127.0.0.1:6640", "bridge": "br0",
        ])
        guard case .switchCreated(let managed) = events.first else { Issue.record("no switch"); return }
        #expect(managed.switchID == "0x00000000000000ab" && managed.driver == "ovs")
        #expect(managed.isNamed(by: ["switch_id": "0x00000000000000AB", "port_id": "p0"]))
        #expect(managed.isNamed(by: ["switch_id": "52:54:00:00:00:01", "port_id": "p0", "switch_info": "sw1"]))
        #expect(!managed.isNamed(by: ["switch_id": "52:54:00:00:00:01", "port_id": "p0", "switch_info": "sw2"]))
        #expect(throws: DomainError.self) {
            try ManagedSwitchDecider.create(uuid: uuid, fields: ["name": "s", "switch_id": "52:54:00:00:00:01", "ovsdb": "unix:relative.sock", "bridge": "b"])
        }
    }

    @Test("attaching with a network records the tenant network; detaching forgets it; a port group's members inherit it")
    func tenantNetworks() throws {
        let node = UUID(), port = UUID(), member = UUID(), group = UUID()
        var aggregate: NodeAggregate? = NodeEvolution.evolve(nil, .enrolled(node: Node(uuid: node, driver: "fake-hardware")), at: 1)
        aggregate = NodeEvolution.evolve(aggregate, .portCreated(port: Port(uuid: port, nodeUUID: node, address: "52:54:00:00:00:01")), at: 2)
        let events = try NodeDecider.decide(aggregate, .attachVIF(vif: "v1", port: port, portGroup: nil, physicalNetworks: [], network: "tenant-a"))
        #expect(events == [.vifAttached(vif: "v1", binding: .port(port)), .vifNetworkBound(vif: "v1", binding: .port(port), network: "tenant-a")])
        for event in events { aggregate = NodeEvolution.evolve(aggregate, event, at: 3) }
        #expect(aggregate?.tenantNetwork(of: aggregate!.ports[port]!) == "tenant-a")
        aggregate = NodeEvolution.evolve(aggregate, .vifDetached(vif: "v1", binding: .port(port)), at: 4)
        #expect(aggregate?.ports[port]?.internalInfo["tenant_network"] == nil)

        aggregate = NodeEvolution.evolve(aggregate, .portGroupCreated(group: PortGroup(uuid: group, nodeUUID: node)), at: 5)
        var bonded = Port(uuid: member, nodeUUID: node, address: "52:54:00:00:00:02")
        bonded.portGroupUUID = group
        aggregate = NodeEvolution.evolve(aggregate, .portCreated(port: bonded), at: 6)
        aggregate = NodeEvolution.evolve(aggregate, .vifAttached(vif: "v2", binding: .portGroup(group)), at: 7)
        aggregate = NodeEvolution.evolve(aggregate, .vifNetworkBound(vif: "v2", binding: .portGroup(group), network: "bond-net"), at: 7)
        #expect(aggregate?.tenantNetwork(of: aggregate!.ports[member]!) == "bond-net")
    }

    @Test("a switch port move is recorded once per change, with when it happened")
    func switchPortMoves() throws {
        let node = UUID(), port = UUID()
        var aggregate: NodeAggregate? = NodeEvolution.evolve(nil, .enrolled(node: Node(uuid: node, driver: "fake-hardware")), at: 1)
        aggregate = NodeEvolution.evolve(aggregate, .portCreated(port: Port(uuid: port, nodeUUID: node, address: "52:54:00:00:00:01")), at: 2)
        let move = SwitchPortChange(port: port, switchName: "sw1", switchPort: "p0", vlan: 100, network: "prov", phase: .provisioning, reason: "add_provisioning_network")
        #expect(try NodeDecider.decide(aggregate, .recordSwitchPort(move)) == [.switchPortConfigured(change: move)])
        aggregate = NodeEvolution.evolve(aggregate, .switchPortConfigured(change: move), at: 3)
        #expect(aggregate?.switchPorts[port] == SwitchPortState(change: move, since: 3))
        var again = move
        again.reason = "repeated"
        #expect(try NodeDecider.decide(aggregate, .recordSwitchPort(again)) == [])
        #expect(throws: DomainError.self) { try NodeDecider.decide(aggregate, .recordSwitchPort(SwitchPortChange(
            port: UUID(), switchName: "sw1", switchPort: "p9", vlan: 5, network: nil, phase: nil, reason: "x"))) }
    }

    @Test("network_data: a phy link per bound port, a bond per bound port group, one network per VIF with its VLAN")
    func networkData() {
        let node = UUID(), port = UUID(), group = UUID(), a = UUID(), b = UUID()
        var aggregate = NodeAggregate(node: Node(uuid: node, driver: "fake-hardware"))
        var single = Port(uuid: port, nodeUUID: node, address: "52:54:00:00:00:01")
        single.internalInfo = ["tenant_vif_port_id": "vif-1", "tenant_network": "tenant-a"]
        aggregate.ports[port] = single
        var bond = PortGroup(uuid: group, nodeUUID: node)
        bond.mode = "802.3ad"
        bond.properties = ["miimon": 100]
        bond.internalInfo = ["tenant_vif_port_id": "vif-2"]
        aggregate.portGroups[group] = bond
        for (uuid, mac) in [(a, "52:54:00:00:00:0a"), (b, "52:54:00:00:00:0b")] {
            var member = Port(uuid: uuid, nodeUUID: node, address: mac)
            member.portGroupUUID = group
            aggregate.ports[uuid] = member
        }
        let network = Network(uuid: UUID(), name: "tenant-a", vlan: 1000)
        let document = NetworkData.document(for: aggregate, networks: ["tenant-a": network])
        guard case .array(let links)? = document["links"], case .array(let networks)? = document["networks"] else { Issue.record("no links"); return }
        #expect(links.map { $0["type"]?.stringValue } == ["phy", "phy", "bond", "phy"])
        #expect(links[2]["bond_mode"] == "802.3ad" && links[2]["bond_miimon"] == 100)
        #expect(links[2]["bond_links"] == .array([.string("port-\(a.lowercased)"), .string("port-\(b.lowercased)")]))
        #expect(networks.count == 2)
        #expect(networks[1]["network_id"]?.stringValue == network.uuid.lowercased && networks[1]["vlan_id"] == 1000)
        #expect(networks[0]["network_id"] == "vif-2" && networks[0]["vlan_id"] == nil)
    }
}
