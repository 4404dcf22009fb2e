import Domain
import Foundation
import Testing

private func port(_ uuid: UUID, _ mac: String, _ configure: (inout Domain.Port) -> Void = { _ in }) -> NodeEvent {
    .portCreated(port: fixturePort(uuid, mac, configure))
}

private func group(_ uuid: UUID, _ configure: (inout PortGroup) -> Void = { _ in }) -> NodeEvent {
    .portGroupCreated(group: fixtureGroup(uuid, configure))
}

private func attach(_ vif: String = "vif-1", port: UUID? = nil, portGroup: UUID? = nil, physnets: Set<String> = []) -> NodeCommand {
    .attachVIF(vif: vif, port: port, portGroup: portGroup, physicalNetworks: physnets)
}

@Suite("Decide: VIF attach (§6.3)")
struct NodeDeciderVIFAttachTests {
    @Test("a VIF goes to the free port")
    func singlePort() {
        given(History.enroll + [port(ID.port1, MAC.a)]).when(attach()).then([.vifAttached(vif: "vif-1", binding: .port(ID.port1))])
    }

    @Test("ports with a physical network set are preferred")
    func physnetPreferred() {
        let history = History.enroll + [port(ID.port1, MAC.a), port(ID.port2, MAC.b) { $0.physicalNetwork = "physnet1"; $0.pxeEnabled = false }]
        given(history).when(attach(physnets: ["physnet1"])).then([.vifAttached(vif: "vif-1", binding: .port(ID.port2))])
        given(history).when(attach()).then([.vifAttached(vif: "vif-1", binding: .port(ID.port2))])
    }

    @Test("ports on a physical network the VIF cannot reach are not candidates")
    func physnetMustMatch() {
        let history = History.enroll + [port(ID.port1, MAC.a) { $0.pxeEnabled = false }, port(ID.port2, MAC.b) { $0.physicalNetwork = "physnet2" }]
        given(history).when(attach(physnets: ["physnet1"])).then([.vifAttached(vif: "vif-1", binding: .port(ID.port1))])
        given(History.enroll + [port(ID.port2, MAC.b) { $0.physicalNetwork = "physnet2" }])
            .when(attach(physnets: ["physnet1"]))
            .then(.noFreePhysicalPorts(vif: "vif-1", node: ID.node), httpStatus: 400)
    }

    @Test("port groups are preferred over ports")
    func groupsOverPorts() {
        given(History.enroll + [port(ID.port1, MAC.a), group(ID.group1), port(ID.port3, MAC.c) { $0.portGroupUUID = ID.group1 }])
            .when(attach())
            .then([.vifAttached(vif: "vif-1", binding: .portGroup(ID.group1))])
    }

    @Test("a physical network beats a port group")
    func physnetOverGroups() {
        given(History.enroll + [
            port(ID.port1, MAC.a) { $0.physicalNetwork = "physnet1" }, group(ID.group1),
            port(ID.port3, MAC.c) { $0.portGroupUUID = ID.group1 },
        ])
            .when(attach(physnets: ["physnet1"]))
            .then([.vifAttached(vif: "vif-1", binding: .port(ID.port1))])
    }

    @Test("empty port groups are ignored")
    func emptyGroupIgnored() {
        given(History.enroll + [group(ID.group1), port(ID.port2, MAC.b)])
            .when(attach())
            .then([.vifAttached(vif: "vif-1", binding: .port(ID.port2))])
    }

    @Test("PXE-enabled ports are preferred")
    func pxePreferred() {
        given(History.enroll + [port(ID.port1, MAC.a) { $0.pxeEnabled = false }, port(ID.port2, MAC.b)])
            .when(attach())
            .then([.vifAttached(vif: "vif-1", binding: .port(ID.port2))])
    }

    @Test("ports and groups carrying another VIF are not free")
    func busyNotFree() {
        given(History.enroll + [port(ID.port1, MAC.a), port(ID.port2, MAC.b) { $0.pxeEnabled = false },
                                .vifAttached(vif: "vif-0", binding: .port(ID.port1))])
            .when(attach())
            .then([.vifAttached(vif: "vif-1", binding: .port(ID.port2))])
        given(History.enroll + [group(ID.group1), port(ID.port3, MAC.c) { $0.portGroupUUID = ID.group1 },
                                .vifAttached(vif: "vif-0", binding: .portGroup(ID.group1))])
            .when(attach())
            .then(.noFreePhysicalPorts(vif: "vif-1", node: ID.node), httpStatus: 400)
    }

    @Test("no port at all: no free physical ports (400)")
    func noPorts() {
        given(History.enroll).when(attach()).then(.noFreePhysicalPorts(vif: "vif-1", node: ID.node), httpStatus: 400)
    }

    @Test("an explicit port or port group is used as given")
    func explicit() {
        let history = History.enroll + [port(ID.port1, MAC.a), port(ID.port2, MAC.b) { $0.pxeEnabled = false },
                                        group(ID.group1), port(ID.port3, MAC.c) { $0.portGroupUUID = ID.group1 }]
        given(history).when(attach(port: ID.port2)).then([.vifAttached(vif: "vif-1", binding: .port(ID.port2))])
        given(history).when(attach(portGroup: ID.group1)).then([.vifAttached(vif: "vif-1", binding: .portGroup(ID.group1))])
    }

    @Test("an explicit port or group that is not the node's is not found (404)")
    func explicitUnknown() {
        given(History.enroll + [port(ID.port1, MAC.a)])
            .when(attach(port: ID.port2))
            .then(.resourceNotFound(kind: "Port", id: ID.port2.lowercased), httpStatus: 404)
        given(History.enroll + [port(ID.port1, MAC.a)])
            .when(attach(portGroup: ID.group1))
            .then(.resourceNotFound(kind: "Portgroup", id: ID.group1.lowercased), httpStatus: 404)
    }

    @Test("an explicit port or group that carries another VIF is refused (400)")
    func explicitBusy() {
        given(History.enroll + [port(ID.port1, MAC.a), .vifAttached(vif: "vif-0", binding: .port(ID.port1))])
            .when(attach(port: ID.port1))
            .then(.invalidParameter("Port \(ID.port1.lowercased) already has a VIF attached"), httpStatus: 400)
        given(History.enroll + [group(ID.group1), .vifAttached(vif: "vif-0", binding: .portGroup(ID.group1))])
            .when(attach(portGroup: ID.group1))
            .then(.invalidParameter("Port group \(ID.group1.lowercased) already has a VIF attached"), httpStatus: 400)
    }

    @Test("port_uuid and portgroup_uuid together are refused (400)")
    func both() {
        given(History.enroll + [port(ID.port1, MAC.a), group(ID.group1)])
            .when(attach(port: ID.port1, portGroup: ID.group1))
            .then(.invalidParameter("Only one of port_uuid and portgroup_uuid may be given"), httpStatus: 400)
    }

    @Test("a VIF already attached is refused (409)")
    func alreadyAttached() {
        let history = History.enroll + [port(ID.port1, MAC.a), port(ID.port2, MAC.b), .vifAttached(vif: "vif-1", binding: .port(ID.port1))]
        given(history).when(attach()).then(.vifAlreadyAttached("vif-1"), httpStatus: 409)
        given(history).when(attach(port: ID.port2)).then(.vifAlreadyAttached("vif-1"), httpStatus: 409)
    }

    @Test("a VIF id is required (400)")
    func idRequired() {
        given(History.enroll + [port(ID.port1, MAC.a)]).when(attach("")).then(.missingParameter("id"), httpStatus: 400)
    }
}

@Suite("Decide: VIF detach and network phase")
struct NodeDeciderVIFDetachTests {
    @Test("detaching names where the VIF was bound")
    func detach() {
        given(History.enroll + [port(ID.port1, MAC.a), .vifAttached(vif: "vif-1", binding: .port(ID.port1))])
            .when(.detachVIF(vif: "vif-1"))
            .then([.vifDetached(vif: "vif-1", binding: .port(ID.port1))])
        given(History.enroll + [group(ID.group1), .vifAttached(vif: "vif-2", binding: .portGroup(ID.group1))])
            .when(.detachVIF(vif: "vif-2"))
            .then([.vifDetached(vif: "vif-2", binding: .portGroup(ID.group1))])
    }

    @Test("detaching a VIF that is not attached is refused (400)")
    func detachUnknown() {
        given(History.enroll + [port(ID.port1, MAC.a), .vifAttached(vif: "vif-1", binding: .port(ID.port1))])
            .when(.detachVIF(vif: "vif-9"))
            .then(.vifNotAttached(vif: "vif-9", node: ID.node), httpStatus: 400)
    }

    @Test("the network phase changes; the same phase again is a no-op")
    func networkPhase() {
        given(History.deploying)
            .when(.changeNetworkPhase(.provisioning))
            .then([.networkPhaseChanged(from: nil, to: .provisioning)])
        given(History.deploying + [.networkPhaseChanged(from: nil, to: .provisioning)])
            .when(.changeNetworkPhase(.tenant))
            .then([.networkPhaseChanged(from: .provisioning, to: .tenant)])
        given(History.deploying + [.networkPhaseChanged(from: nil, to: .provisioning)]).when(.changeNetworkPhase(.provisioning)).then([])
        given(History.active + [.networkPhaseChanged(from: nil, to: .tenant)])
            .when(.changeNetworkPhase(nil))
            .then([.networkPhaseChanged(from: .tenant, to: nil)])
    }
}
