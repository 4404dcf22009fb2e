import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Testing

/// A conductor whose phases have networks, a managed switch backed by a sandboxed OVSDB with
/// ports `p0` to `p3`, and one fake-hardware node on the `switch` network interface whose
/// PXE-enabled NIC is cabled to `p0` and whose other NIC is cabled to `p1`.
private struct SwitchedNode {
    let fixture: ConductorFixture
    let ovs: OVSSandbox
    let node: UUID
    let pxePort: UUID
    let otherPort: UUID

    static let vlans: [String: Int] = ["provisioning": 100, "cleaning": 200, "rescuing": 300, "inspection": 400, "tenant-a": 1000, "tenant-b": 1001]

    static func start(automatedClean: Bool = true) async throws -> SwitchedNode {
        let ovs = try await OVSSandbox.start(ports: ["p0", "p1", "p2", "p3"])
        var configuration = EngineConfiguration()
        configuration.phaseNetworks = [.provisioning: "provisioning", .cleaning: "cleaning", .rescuing: "rescuing", .inspection: "inspection"]
        configuration.automatedClean = automatedClean
        let fixture = try await ConductorFixture.start(configuration: configuration)
        for (name, vlan) in vlans.sorted(by: { $0.key < $1.key }) {
            _ = try await fixture.conductor.networks.create(uuid: UUID(), fields: ["name": .string(name), "vlan": .number(Double(vlan))], metadata: requestMetadata())
        }
        _ = try await fixture.conductor.switches.create(uuid: UUID(), fields: [
            "name": "sw1", "switch_id": "52:54:00:ff:00:01", "driver": "ovs", "ovsdb": .string(ovs.ovsdb), "bridge": .string(ovs.bridge),
        ], metadata: requestMetadata())
        let node = try await fixture.enroll(name: "switched", fields: ["network_interface": "switch"])
        let pxePort = UUID(), otherPort = UUID()
        try await fixture.command(.createPort(uuid: pxePort, fields: [
            "address": "52:54:00:00:10:01", "local_link_connection": ["switch_id": "52:54:00:FF:00:01", "port_id": "p0"],
        ]), node)
        try await fixture.command(.createPort(uuid: otherPort, fields: [
            "address": "52:54:00:00:10:02", "pxe_enabled": false, "local_link_connection": ["switch_id": "52:54:00:aa:bb:cc", "port_id": "p1", "switch_info": "sw1"],
        ]), node)
        return SwitchedNode(fixture: fixture, ovs: ovs, node: node, pxePort: pxePort, otherPort: otherPort)
    }

    /// Runs `body` on a started switched node, stopping everything afterwards however it ends.
    static func with(automatedClean: Bool = true, _ body: (SwitchedNode, ConductorFixture, UUID) async throws -> Void) async throws {
        let setup = try await start(automatedClean: automatedClean)
        do {
            try await body(setup, setup.fixture, setup.node)
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    func stop() async {
        fixture.stop()
        fixture.remove()
        await ovs.stop()
        ovs.remove()
    }

    /// The switch port moves recorded on the node's stream, in order, as `port:vlan`.
    func moves() throws -> [String] {
        try fixture.history(node).compactMap { event in
            guard case .switchPortConfigured(let change) = event else { return nil }
            return "\(change.switchPort):\(change.vlan)"
        }
    }

    func state(_ port: UUID) throws -> SwitchPortChange? {
        try fixture.conductor.commands.aggregate(node)?.switchPorts[port]?.change
    }
}

@Suite("The switch network interface moves switch ports between networks", .serialized)
struct SwitchNetworkFlowTests {
    @Test("provide cleans on the cleaning network, deploy provisions then joins the tenant network, rescue and unrescue, undeploy cleans and parks")
    func deployLifecycle() async throws {
        let setup = try await SwitchedNode.start()
        let fixture = setup.fixture, ovs = setup.ovs, node = setup.node
        do {
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            #expect(try fixture.node(node).provisionState == .available)
            // Cleaning: the PXE NIC on the cleaning VLAN, the other parked; then both parked. A
            // port already where a move sends it records nothing.
            #expect(try setup.moves() == ["p0:200", "p1:4095", "p0:4095"])
            #expect(try await ovs.tag("p0") == SwitchPortChange.parkingVLAN)

            try await fixture.conductor.attachVIF(node, vif: "vif-a", port: setup.pxePort, portGroup: nil, network: "tenant-a", metadata: requestMetadata())
            // Not active: attaching binds, the switch waits for the deploy.
            #expect(try await ovs.tag("p0") == SwitchPortChange.parkingVLAN)

            try await fixture.provision(.active, node)
            #expect(try fixture.node(node).provisionState == .active)
            #expect(try await ovs.tag("p0") == 1000)
            #expect(try await ovs.tag("p1") == SwitchPortChange.parkingVLAN)
            let deployed = try setup.moves().dropFirst(3)
            #expect(Array(deployed) == ["p0:100", "p0:4095", "p0:1000"])
            let tenant = try #require(try setup.state(setup.pxePort))
            #expect(tenant.network == "tenant-a" && tenant.phase == .tenant && tenant.reason == "configure_tenant_networks")

            try await fixture.provision(.rescue, node, ProvisionArguments(rescuePassword: "secret"))
            #expect(try fixture.node(node).provisionState == .rescue)
            #expect(try await ovs.tag("p0") == 300)
            try await fixture.provision(.unrescue, node)
            #expect(try fixture.node(node).provisionState == .active)
            #expect(try await ovs.tag("p0") == 1000)

            try await fixture.provision(.deleted, node)
            #expect(try fixture.node(node).provisionState == .available)
            #expect(try await ovs.tag("p0") == SwitchPortChange.parkingVLAN)
            let undeployed = try setup.moves().suffix(3)
            // Tear-down parks, cleaning moves the PXE NIC to the cleaning VLAN, the end of cleaning parks.
            #expect(Array(undeployed) == ["p0:4095", "p0:200", "p0:4095"])

            // The read model: which VLAN each switch port is on, since when, and why.
            let ports = try fixture.conductor.switches.ports(of: "sw1")
            #expect(ports.map(\.state.change.switchPort) == ["p0", "p1"])
            #expect(ports[0].state.change.reason == "remove_cleaning_network" && ports[0].state.change.isParked)
            #expect(ports[0].row.vif == "vif-a" && ports[0].row.tenantNetwork == "tenant-a")
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test("inspection puts the PXE NIC on the inspection network and parks it afterwards")
    func inspection() async throws {
        let setup = try await SwitchedNode.start()
        do {
            try await setup.fixture.provision(.manage, setup.node)
            try await setup.fixture.provision(.inspect, setup.node)
            #expect(try setup.fixture.node(setup.node).provisionState == .manageable)
            #expect(try setup.moves() == ["p0:400", "p1:4095", "p0:4095"])
            #expect(try await setup.ovs.tag("p0") == SwitchPortChange.parkingVLAN)
            let phases = try setup.fixture.history(setup.node).compactMap { event -> NetworkPhase?? in
                if case .networkPhaseChanged(_, let to) = event { return .some(to) }
                return nil
            }
            #expect(phases == [.inspection, nil])
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test("an inspection handed to an agent stays on the inspection network until the agent posts its inventory")
    func agentInspection() async throws {
        try await SwitchedNode.with { setup, fixture, node in
            try await fixture.command(.update(patch: [["op": "add", "path": "/driver_info/fake_wait", "value": "inspect.inspect_hardware"]]), node)
            try await fixture.provision(.manage, node)
            try await fixture.provision(.inspect, node)
            #expect(try fixture.node(node).provisionState == .inspectWait)
            #expect(try await setup.ovs.tag("p0") == 400)
            try await fixture.conductor.agentCallBack(node, inventory: ["interfaces": []], metadata: requestMetadata(actor: "agent"))
            try await fixture.conductor.settle()
            #expect(try fixture.node(node).provisionState == .manageable)
            #expect(try await setup.ovs.tag("p0") == SwitchPortChange.parkingVLAN)
            #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == nil)
        }
    }

    @Test("attaching and detaching a VIF on an active node moves its switch port at once")
    func vifOnActiveNode() async throws {
        try await SwitchedNode.with(automatedClean: false) { setup, fixture, node in
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            try await fixture.provision(.active, node)
            // No VIF: the tenant's networks park every port.
            #expect(try await setup.ovs.tag("p0") == SwitchPortChange.parkingVLAN)

            try await fixture.conductor.attachVIF(node, vif: "vif-b", port: nil, portGroup: nil, network: "tenant-b", metadata: requestMetadata())
            #expect(try await setup.ovs.tag("p0") == 1001)
            let attached = try #require(try setup.state(setup.pxePort))
            #expect(attached.reason == "vif attach vif-b" && attached.network == "tenant-b")

            try await fixture.conductor.detachVIF(node, vif: "vif-b", metadata: requestMetadata())
            #expect(try await setup.ovs.tag("p0") == SwitchPortChange.parkingVLAN)
            #expect(try fixture.conductor.commands.aggregate(node)?.attachedVIFs == [])
        }
    }

    @Test("servicing moves the PXE NIC to the servicing network (the provisioning one when it has none) and back to the tenant's")
    func servicing() async throws {
        try await SwitchedNode.with(automatedClean: false) { setup, fixture, node in
            try await fixture.conductor.attachVIF(node, vif: "vif-a", port: setup.pxePort, portGroup: nil, network: "tenant-a", metadata: requestMetadata())
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            try await fixture.provision(.active, node)
            #expect(try await setup.ovs.tag("p0") == 1000)
            let before = try setup.moves().count
            try await fixture.provision(.service, node, ProvisionArguments(serviceSteps: [["interface": "raid", "step": "delete_configuration"]]))
            #expect(try fixture.node(node).provisionState == .active)
            #expect(try await setup.ovs.tag("p0") == 1000)
            // No servicing network is configured: the provisioning network serves.
            #expect(Array(try setup.moves().dropFirst(before)) == ["p0:100", "p0:4095", "p0:1000"])
            let phases = try fixture.history(node).compactMap { event -> NetworkPhase?? in
                if case .networkPhaseChanged(_, let to) = event { return .some(to) }
                return nil
            }
            #expect(Array(phases.suffix(2)) == [.servicing, .tenant])
        }
    }

    @Test("a VIF bound to a port group puts every member's switch port on its network")
    func bondMembers() async throws {
        try await SwitchedNode.with(automatedClean: false) { setup, fixture, node in
            let group = UUID()
            try await fixture.command(.createPortGroup(uuid: group, fields: ["mode": "802.3ad", "properties": ["miimon": 100]]), node)
            for (mac, switchPort) in [("52:54:00:00:10:0a", "p2"), ("52:54:00:00:10:0b", "p3")] {
                try await fixture.command(.createPort(uuid: UUID(), fields: [
                    "address": .string(mac), "pxe_enabled": false, "portgroup_uuid": .string(group.lowercased),
                    "local_link_connection": ["switch_id": "52:54:00:ff:00:01", "port_id": .string(switchPort)],
                ]), node)
            }
            try await fixture.conductor.attachVIF(node, vif: "vif-bond", port: nil, portGroup: group, network: "tenant-b", metadata: requestMetadata())
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            try await fixture.provision(.active, node)
            #expect(try fixture.node(node).provisionState == .active)
            #expect(try await setup.ovs.tag("p2") == 1001)
            #expect(try await setup.ovs.tag("p3") == 1001)
            #expect(try await setup.ovs.tag("p0") == SwitchPortChange.parkingVLAN)
            #expect(try fixture.conductor.switches.ports(of: "sw1").filter { $0.state.change.network == "tenant-b" }.count == 2)
        }
    }

    @Test("a switch that cannot be reached fails the deploy naming the switch and port, and the recorded binding stays")
    func unreachableSwitch() async throws {
        try await SwitchedNode.with { setup, fixture, node in
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            let before = try fixture.conductor.commands.aggregate(node)?.switchPorts
            await setup.ovs.stop()

            try await fixture.provision(.active, node)
            let failed = try fixture.node(node)
            #expect(failed.provisionState == .deployFailed)
            let error = try #require(failed.lastError)
            #expect(error.contains("provisioning network"))
            #expect(error.contains("Switch sw1") && error.contains("port p0") && error.contains("VLAN 100"))
            #expect(try fixture.conductor.commands.aggregate(node)?.switchPorts == before)
        }
    }

    @Test("a port cabled to a switch that is not managed fails the flow when it needs the port")
    func unknownSwitch() async throws {
        try await SwitchedNode.with(automatedClean: false) { setup, fixture, node in
            try await fixture.command(.createPort(uuid: UUID(), fields: [
                "address": "52:54:00:00:10:03", "pxe_enabled": false,
                "local_link_connection": ["switch_id": "52:54:00:00:99:99", "port_id": "eth9", "switch_info": "elsewhere"],
            ]), node)
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            try await fixture.provision(.active, node)
            let failed = try fixture.node(node)
            #expect(failed.provisionState == .deployFailed)
            #expect(failed.lastError?.contains("switch_id 52:54:00:00:99:99, switch_info elsewhere, which is not a managed switch") == true)
            #expect(try setup.moves() == [])
        }
    }

    @Test("a port naming a switch port the switch does not have fails the flow with what the switch said")
    func unknownSwitchPort() async throws {
        try await SwitchedNode.with(automatedClean: false) { setup, fixture, node in
            try await fixture.command(.createPort(uuid: UUID(), fields: [
                "address": "52:54:00:00:10:04", "pxe_enabled": false, "local_link_connection": ["switch_id": "52:54:00:ff:00:01", "port_id": "p9"],
            ]), node)
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            try await fixture.provision(.active, node)
            let failed = try fixture.node(node)
            #expect(failed.provisionState == .deployFailed)
            #expect(failed.lastError?.contains(#"Switch sw1"#) == true && failed.lastError?.contains(#"no row "p9" in table Port"#) == true)
            // The moves the switch confirmed before the failure are recorded; the failed one is not.
            #expect(try setup.moves() == ["p0:100", "p1:4095"])
        }
    }

    @Test("a phase without a configured network fails the flow and says which option sets it")
    func missingPhaseNetwork() async throws {
        let ovs = try await OVSSandbox.start(ports: ["p0"])
        let fixture = try await ConductorFixture.start()
        do {
            _ = try await fixture.conductor.switches.create(uuid: UUID(), fields: [
                "name": "sw1", "switch_id": "52:54:00:ff:00:01", "ovsdb": .string(ovs.ovsdb), "bridge": .string(ovs.bridge),
            ], metadata: requestMetadata())
            let node = try await fixture.enroll(fields: ["network_interface": "switch"])
            try await fixture.command(.createPort(uuid: UUID(), fields: [
                "address": "52:54:00:00:20:01", "local_link_connection": ["switch_id": "52:54:00:ff:00:01", "port_id": "p0"],
            ]), node)
            try await fixture.provision(.manage, node)
            try await fixture.provision(.provide, node)
            let failed = try fixture.node(node)
            #expect(failed.provisionState == .cleanFailed)
            #expect(failed.lastError?.contains("--cleaning-network NAME") == true)
        } catch {
            fixture.stop(); fixture.remove(); await ovs.stop(); ovs.remove()
            throw error
        }
        fixture.stop(); fixture.remove(); await ovs.stop(); ovs.remove()
    }
}
