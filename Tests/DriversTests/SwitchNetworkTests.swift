import Domain
import Drivers
import Foundation
import Testing

@Suite("The switch network interface and ovs-vsctl")
struct SwitchNetworkTests {
    private static let managed = ManagedSwitch(uuid: UUID(), name: "sw9", switchID: "52:54:00:00:00:09",
                                               ovsdb: "unix:/tmp/ironlog-no-such-\(UUID().uuidString.prefix(8)).sock", bridge: "br0")

    @Test("ovs-vsctl runs against the switch's database without waiting for a datapath, with a timeout")
    func arguments() {
        let tool = OVSTool(commandTimeout: .seconds(3))
        #expect(tool.arguments(["set", "port", "p0", "tag=100"], on: Self.managed)
            == ["--db=\(Self.managed.ovsdb)", "--no-wait", "--timeout=3", "set", "port", "p0", "tag=100"])
    }

    @Test("a switch that is not there fails with the switch, its port, the VLAN and what ovs-vsctl said")
    func unreachable() async {
        do {
            try await OVSTool().setAccessVLAN(100, on: "p0", of: Self.managed)
            Issue.record("the move succeeded without a switch")
        } catch {
            #expect(error.message.hasPrefix("Switch sw9 (\(Self.managed.ovsdb)) did not put its port p0 on VLAN 100: "))
            // ovs-vsctl's own words; when the whole suite loads the machine its exit is sometimes
            // not seen before the command timeout, which must then be what the message names.
            #expect(error.message.contains("database connection failed") || error.message.contains("ovs-vsctl did not answer within"))
        }
    }

    @Test("ports: an empty or unmanaged link is skipped, an unknown switch is an error, switch_info names a switch")
    func attachments() throws {
        let networking = SwitchNetworking(phaseNetworks: [:], switches: [Self.managed], networks: [:], tenantNetworks: [:]) { _ in }
        let node = UUID()
        var port = Domain.Port(uuid: UUID(), nodeUUID: node, address: "52:54:00:00:40:01")
        #expect(try networking.attachment(of: port) == nil)
        port.localLinkConnection = ["network_type": "unmanaged"]
        #expect(try networking.attachment(of: port) == nil)
        port.localLinkConnection = ["switch_id": "52:54:00:00:00:01", "port_id": "p3", "switch_info": "sw9"]
        #expect(try networking.attachment(of: port)?.switchPort == "p3")
        port.localLinkConnection = ["switch_id": "52:54:00:00:00:01", "port_id": "p3"]
        #expect(throws: DriverError.self) { try networking.attachment(of: port) }
    }

    @Test("inspection and servicing use the provisioning network unless they have their own; a missing one says which option sets it")
    func phaseNetworks() {
        let provisioning = Network(uuid: UUID(), name: "prov", vlan: 100)
        let networking = SwitchNetworking(phaseNetworks: [.provisioning: provisioning], configuredPhaseNetworks: [.provisioning: "prov", .rescuing: "gone"],
                                          switches: [], networks: ["prov": provisioning], tenantNetworks: [:]) { _ in }
        #expect(networking.network(for: .inspection) == provisioning && networking.network(for: .servicing) == provisioning)
        #expect(networking.network(for: .cleaning) == nil)
        #expect(networking.missingNetwork(for: .cleaning).contains("--cleaning-network NAME"))
        #expect(networking.missingNetwork(for: .rescuing).contains("rescuing network gone the engine is configured with does not exist"))
    }
}
