import Domain
import Foundation
import Testing

private let nodeID = ID.node.lowercased
private let port1 = ID.port1.lowercased
private let group1 = ID.group1.lowercased

/// The node with one port (MAC a) and, where asked, a port group.
private func withPort(_ configure: (inout Domain.Port) -> Void = { _ in }, history: [NodeEvent] = History.enroll) -> [NodeEvent] {
    history + [.portCreated(port: fixturePort(ID.port1, MAC.a, configure))]
}

private let standaloneGroup: NodeEvent = .portGroupCreated(group: fixtureGroup(ID.group1))
private let bondOnlyGroup: NodeEvent = .portGroupCreated(group: fixtureGroup(ID.group1) { $0.standalonePortsSupported = false })

@Suite("Decide: create ports (POST /v1/ports)")
struct NodeDeciderPortCreateTests {
    @Test("a port needs only its MAC; everything else takes Ironic's defaults")
    func minimal() {
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a)]))
            .then([.portCreated(port: fixturePort(ID.port1, MAC.a))])
    }

    @Test("the MAC is normalized to lower case and colons", arguments: [
        "52:54:00:00:00:0A", "52-54-00-00-00-0a", "52-54-00-00-00-0A",
    ])
    func macNormalized(address: String) {
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(address)]))
            .then([.portCreated(port: fixturePort(ID.port1, MAC.a))])
    }

    @Test("every creatable field lands in the port")
    func allFields() {
        let expected = fixturePort(ID.port1, MAC.a) {
            $0.name = "eth0"
            $0.pxeEnabled = false
            $0.physicalNetwork = "physnet1"
            $0.localLinkConnection = ["switch_id": "aa:bb:cc:dd:ee:ff", "port_id": "Ethernet1/1", "switch_info": "tor-1"]
            $0.extra = ["client-id": "abc"]
            $0.isSmartNIC = false
            $0.description = "first NIC"
            $0.vendor = "intel"
            $0.category = "data"
        }
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: [
                "address": .string(MAC.a), "name": "eth0", "pxe_enabled": false, "physical_network": "physnet1",
                "local_link_connection": ["switch_id": "aa:bb:cc:dd:ee:ff", "port_id": "Ethernet1/1", "switch_info": "tor-1"],
                "extra": ["client-id": "abc"], "is_smartnic": false, "description": "first NIC", "vendor": "intel", "category": "data",
            ]))
            .then([.portCreated(port: expected)])
    }

    @Test("address is required (400)")
    func addressRequired() {
        given(History.enroll).when(.createPort(uuid: ID.port1, fields: [:])).then(.missingParameter("address"), httpStatus: 400)
        given(History.enroll).when(.createPort(uuid: ID.port1, fields: ["address": .null])).then(.missingParameter("address"), httpStatus: 400)
    }

    @Test("an address that is not a MAC is refused (400)", arguments: ["nope", "52:54:00:00:00", "52:54-00:00:00:0a", "52:54:00:00:00:0g"])
    func invalidMAC(address: String) {
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(address)]))
            .then(.invalidField("address", reason: "\(ValueError.invalidMAC(address))"), httpStatus: 400)
    }

    @Test("a field a port cannot be created with is refused (400)", arguments: ["internal_info", "created_at", "no_such_field"])
    func unknownField(field: String) {
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), field: [:]]))
            .then(.invalidField(field, reason: "it is not a field a port can be created with"), httpStatus: 400)
    }

    @Test("a MAC another port in the fleet has is refused (409)")
    func duplicateMACInFleet() {
        given(History.enroll, fleet: FakeFleet(macOwners: [MAC.a: ID.port3]))
            .when(.createPort(uuid: ID.port1, fields: ["address": "52:54:00:00:00:0A"]))
            .then(.duplicateMAC(MAC.a), httpStatus: 409)
    }

    @Test("a MAC another port of this node has is refused (409)")
    func duplicateMACInNode() {
        given(withPort())
            .when(.createPort(uuid: ID.port2, fields: ["address": .string(MAC.a)]))
            .then(.duplicateMAC(MAC.a), httpStatus: 409)
    }

    @Test("a port name another port has is refused (409)")
    func duplicateName() {
        given(History.enroll, fleet: FakeFleet(portNameOwners: ["eth0": ID.port3]))
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), "name": "eth0"]))
            .then(.duplicatePortName("eth0"), httpStatus: 409)
    }

    @Test("a port UUID that exists is refused (409)")
    func duplicateUUID() {
        given(withPort())
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.b)]))
            .then(.resourceAlreadyExists(kind: "port", id: ID.port1), httpStatus: 409)
        given(History.enroll, fleet: FakeFleet(resourceOwners: [ID.port1: ID.otherNode]))
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.b)]))
            .then(.resourceAlreadyExists(kind: "port", id: ID.port1), httpStatus: 409)
    }

    @Test("a port joins a port group of its node")
    func joinsGroup() {
        given(History.enroll + [standaloneGroup])
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), "portgroup_uuid": .string(group1)]))
            .then([.portCreated(port: fixturePort(ID.port1, MAC.a) { $0.portGroupUUID = ID.group1 })])
    }

    @Test("a port group of another node is refused (400)")
    func otherNodesGroup() {
        given(History.enroll, fleet: FakeFleet(resourceOwners: [ID.group2: ID.otherNode]))
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), "portgroup_uuid": .string(ID.group2.lowercased)]))
            .then(.invalidParameter("Port group \(ID.group2.lowercased) is not a port group of node \(nodeID)."), httpStatus: 400)
    }

    @Test("a PXE-enabled port cannot join a group without standalone ports (409)")
    func pxeInBondOnlyGroup() {
        given(History.enroll + [bondOnlyGroup])
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), "portgroup_uuid": .string(group1)]))
            .then(.invalidState("Port \(port1) can not be PXE-enabled in port group \(group1), which does not support standalone ports."),
                  httpStatus: 409)
        given(History.enroll + [bondOnlyGroup])
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), "portgroup_uuid": .string(group1), "pxe_enabled": false]))
            .then([.portCreated(port: fixturePort(ID.port1, MAC.a) { $0.portGroupUUID = ID.group1; $0.pxeEnabled = false })])
    }

    @Test("a port on another physical network than its group's is refused (400)")
    func physnetAgainstGroup() {
        // decide answers 400; Ironic's conductor (validate_port_physnet) raises Conflict (409) for
        // the member-port variant of this rule — the facts give no code.
        given(History.enroll + [.portGroupCreated(group: fixtureGroup(ID.group1) { $0.physicalNetwork = "physnet1" })])
            .when(.createPort(uuid: ID.port1, fields: [
                "address": .string(MAC.a), "portgroup_uuid": .string(group1), "physical_network": "physnet2",
            ]))
            .then(.invalidParameter("Port \(port1) is on physical network physnet2, but its port group is on physnet1."), httpStatus: 400)
    }

    @Test("ports in a port group must agree on their physical network (§6.1)")
    func physnetAgainstMembers() {
        given(History.enroll + [standaloneGroup, .portCreated(port: fixturePort(ID.port1, MAC.a) {
            $0.portGroupUUID = ID.group1
            $0.physicalNetwork = "physnet1"
        })])
            .when(.createPort(uuid: ID.port2, fields: [
                "address": .string(MAC.b), "portgroup_uuid": .string(group1), "physical_network": "physnet2",
            ]))
            .thenRefused(httpStatus: 409)
    }

    @Test("physical_network must be 1 to 64 characters (400)", arguments: ["", String(repeating: "p", count: 65)])
    func physnetLength(physnet: String) {
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), "physical_network": .string(physnet)]))
            .then(.invalidField("physical_network", reason: "it must be 1 to 64 characters"), httpStatus: 400)
    }

    @Test("description ≤ 255, vendor ≤ 32, category ≤ 80 characters (§6.1)", arguments: [
        ("description", 256), ("vendor", 33), ("category", 81),
    ])
    func lengthLimits(field: String, length: Int) {
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), field: .string(String(repeating: "x", count: length))]))
            .thenRefused(httpStatus: 400)
    }

    @Test("extra must be a dict (§6.1)")
    func extraMustBeDict() {
        given(History.enroll)
            .when(.createPort(uuid: ID.port1, fields: ["address": .string(MAC.a), "extra": "not a dict"]))
            .thenRefused(httpStatus: 400)
    }
}

@Suite("Decide: local_link_connection (§6.1)")
struct NodeDeciderLocalLinkTests {
    private func create(_ link: JSONValue, smartNIC: Bool = false) -> When {
        var fields: [String: JSONValue] = ["address": .string(MAC.a), "local_link_connection": link]
        if smartNIC { fields["is_smartnic"] = true }
        return given(History.enroll).when(.createPort(uuid: ID.port1, fields: fields))
    }

    @Test("accepted shapes", arguments: [
        [:] as JSONValue,
        ["switch_id": "aa:bb:cc:dd:ee:ff", "port_id": "Ethernet1/1"],
        ["switch_id": "aa:bb:cc:dd:ee:ff", "port_id": "Ethernet1/1", "switch_info": "tor-1"],
        ["switch_id": "0x0123456789abcdef", "port_id": "1"],
        ["switch_id": "0123456789abcdef", "port_id": "1"],
        ["network_type": "unmanaged"],
        ["port_id": "rep0-0", "hostname": "dpu-1"],
        ["port_id": "p1", "vtep-logical-switch": "ls0", "vtep-physical-switch": "br0"],
    ])
    func accepted(link: JSONValue) {
        create(link).then([.portCreated(port: fixturePort(ID.port1, MAC.a) { $0.localLinkConnection = link })])
    }

    @Test("port_id is required (400)")
    func portIDRequired() {
        create(["switch_id": "aa:bb:cc:dd:ee:ff"]).then(.invalidField("local_link_connection", reason: "port_id is required"), httpStatus: 400)
    }

    @Test("switch_id is required without hostname (400)")
    func switchIDRequired() {
        create(["port_id": "Ethernet1/1"]).then(.invalidField("local_link_connection", reason: "switch_id is required"), httpStatus: 400)
    }

    @Test("switch_id must be a MAC or an OpenFlow datapath id (400)", arguments: ["switch-1", "0x0123", "aa:bb:cc:dd:ee"])
    func badSwitchID(switchID: String) {
        create(["switch_id": .string(switchID), "port_id": "1"])
            .then(.invalidField("local_link_connection", reason: "\(ValueError.invalidSwitchID(switchID))"), httpStatus: 400)
    }

    @Test("unknown keys are refused (400)")
    func unknownKey() {
        create(["switch_id": "aa:bb:cc:dd:ee:ff", "port_id": "1", "vlan": "100"])
            .then(.invalidField("local_link_connection", reason: "vlan is not one of hostname, network_type, port_id, switch_id, switch_info, "
                    + "vtep-logical-switch, vtep-physical-switch"),
                  httpStatus: 400)
    }

    @Test("an OVN VTEP port needs both VTEP switches and port_id (400)", arguments: [
        ["port_id": "p1", "vtep-logical-switch": "ls0"] as JSONValue,
        ["port_id": "p1", "vtep-physical-switch": "br0"],
        ["port_id": "p1", "vtep-logical-switch": "", "vtep-physical-switch": "br0"],
        ["vtep-logical-switch": "ls0", "vtep-physical-switch": "br0"],
    ])
    func ovnVTEPIncomplete(link: JSONValue) {
        create(link).thenRefused(httpStatus: 400)
    }

    @Test("it must be an object (400)")
    func notAnObject() {
        create("Ethernet1/1").then(.invalidField("local_link_connection", reason: "it must be an object"), httpStatus: 400)
    }

    @Test("switch_id is stored normalized (§6.1)")
    func switchIDNormalized() {
        create(["switch_id": "AA-BB-CC-DD-EE-FF", "port_id": "1"])
            .then([.portCreated(port: fixturePort(ID.port1, MAC.a) { $0.localLinkConnection = ["switch_id": "aa:bb:cc:dd:ee:ff", "port_id": "1"] })])
    }

    @Test("a smart NIC port needs port_id and hostname (400, §6.1)")
    func smartNICNeedsHostname() {
        create(["switch_id": "aa:bb:cc:dd:ee:ff", "port_id": "1"], smartNIC: true).thenRefused(httpStatus: 400)
    }
}

@Suite("Decide: update ports (PATCH /v1/ports/{id})")
struct NodeDeciderPortUpdateTests {
    @Test("a new address is normalized")
    func address() {
        given(withPort())
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/address", "52-54-00-00-00-0B"))))
            .then([.portUpdated(uuid: ID.port1, changes: ["address": .string(MAC.b)])])
    }

    @Test("an invalid new address is refused (400)")
    func badAddress() {
        given(withPort())
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/address", "nope"))))
            .then(.invalidField("address", reason: "\(ValueError.invalidMAC("nope"))"), httpStatus: 400)
    }

    @Test("the address of a port on an active node cannot change (409)")
    func addressOnActive() {
        given(withPort(history: History.active))
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/address", .string(MAC.b)))))
            .then(.invalidState("The address of port \(port1) can not change while node \(nodeID) is active or has an instance; put the node in maintenance first."),
                  httpStatus: 409)
    }

    @Test("the address of a port on a node with an instance cannot change (409)")
    func addressWithInstance() {
        given(withPort(history: History.enrolled { $0.instanceUUID = ID.instance }))
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/address", .string(MAC.b)))))
            .then(.invalidState("The address of port \(port1) can not change while node \(nodeID) is active or has an instance; put the node in maintenance first."),
                  httpStatus: 409)
    }

    @Test("in maintenance the address of an active node's port may change")
    func addressOnActiveInMaintenance() {
        given(withPort(history: History.active + History.inMaintenance))
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/address", .string(MAC.b)))))
            .then([.portUpdated(uuid: ID.port1, changes: ["address": .string(MAC.b)])])
    }

    @Test("a new address another port has is refused (409)")
    func duplicateAddress() {
        given(withPort(), fleet: FakeFleet(macOwners: [MAC.a: ID.port1, MAC.b: ID.port3]))
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/address", .string(MAC.b)))))
            .then(.duplicateMAC(MAC.b), httpStatus: 409)
        given(withPort() + [.portCreated(port: fixturePort(ID.port2, MAC.b))])
            .when(.updatePort(uuid: ID.port2, patch: patch(("replace", "/address", .string(MAC.a)))))
            .then(.duplicateMAC(MAC.a), httpStatus: 409)
    }

    @Test("the fleet knowing this port by its own MAC is not a duplicate")
    func ownMAC() {
        given(withPort(), fleet: FakeFleet(macOwners: [MAC.a: ID.port1]))
            .when(.updatePort(uuid: ID.port1, patch: patch(("add", "/extra/a", 1))))
            .then([.portUpdated(uuid: ID.port1, changes: ["extra": ["a": 1]])])
    }

    /// A change of each connectivity field.
    static let connectivityPatches: [JSONValue] = [
        patch(("replace", "/pxe_enabled", false)),
        patch(("replace", "/physical_network", "physnet9")),
        patch(("replace", "/local_link_connection", ["network_type": "unmanaged"])),
        patch(("replace", "/portgroup_uuid", .string(ID.group1.lowercased))),
    ]

    @Test("connectivity changes in enroll, inspecting, inspect wait and manageable", arguments: [
        ProvisionState.enroll, .manageable, .inspecting, .inspectWait,
    ])
    func connectivityAllowed(state: ProvisionState) {
        for change in Self.connectivityPatches {
            #expect(given(withPort(history: History.reaching(state) + [standaloneGroup])).when(.updatePort(uuid: ID.port1, patch: change)).events().count == 1)
        }
    }

    @Test("connectivity changes elsewhere are refused (409)", arguments: [
        ProvisionState.available, .active, .deploying, .cleanWait, .error, .rescue,
    ])
    func connectivityRefused(state: ProvisionState) {
        for change in Self.connectivityPatches {
            given(withPort(history: History.reaching(state) + [standaloneGroup]))
                .when(.updatePort(uuid: ID.port1, patch: change))
                .then(.invalidState("The connectivity of port \(port1) can not change while node \(nodeID) is in state \(state.rawValue); put the node in maintenance first."),
                      httpStatus: 409)
        }
    }

    @Test("in maintenance connectivity changes in any state")
    func connectivityInMaintenance() {
        given(withPort(history: History.active + History.inMaintenance))
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/pxe_enabled", false))))
            .then([.portUpdated(uuid: ID.port1, changes: ["pxe_enabled": false])])
    }

    @Test("other fields change in any state")
    func otherFields() {
        given(withPort(history: History.active))
            .when(.updatePort(uuid: ID.port1, patch: patch(("add", "/extra/a", 1), ("add", "/description", "uplink"))))
            .then([.portUpdated(uuid: ID.port1, changes: ["extra": ["a": 1], "description": "uplink"])])
    }

    @Test("enabling PXE on a port in a group without standalone ports is refused (409)")
    func pxeInBondOnlyGroup() {
        given(History.enroll + [bondOnlyGroup, .portCreated(port: fixturePort(ID.port1, MAC.a) { $0.portGroupUUID = ID.group1; $0.pxeEnabled = false })])
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/pxe_enabled", true))))
            .then(.invalidState("Port \(port1) can not be PXE-enabled in port group \(group1), which does not support standalone ports."),
                  httpStatus: 409)
    }

    @Test("a field that is not patchable is refused (400)")
    func notPatchable() {
        given(withPort())
            .when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/internal_info", [:]))))
            .then(.invalidParameter("The attribute /internal_info of a port can not be patched; patchable attributes are: address, available_for_dynamic_portgroup, category, description, extra, is_smartnic, local_link_connection, name, physical_network, portgroup_uuid, pxe_enabled, vendor."),
                  httpStatus: 400)
    }

    @Test("a patch that changes nothing decides nothing")
    func noOp() {
        given(withPort()).when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/address", .string(MAC.a))))).then([])
        given(withPort()).when(.updatePort(uuid: ID.port1, patch: [])).then([])
    }

    @Test("an unknown port is not found (404)")
    func unknown() {
        given(withPort())
            .when(.updatePort(uuid: ID.port2, patch: patch(("add", "/extra/a", 1))))
            .then(.resourceNotFound(kind: "Port", id: ID.port2.lowercased), httpStatus: 404)
    }

    @Test("extra must stay a dict (§6.1)")
    func extraMustBeDict() {
        given(withPort()).when(.updatePort(uuid: ID.port1, patch: patch(("replace", "/extra", "x")))).thenRefused(httpStatus: 400)
    }
}

@Suite("Decide: delete ports (DELETE /v1/ports/{id})")
struct NodeDeciderPortDeleteTests {
    @Test("a port without a VIF is deleted")
    func delete() {
        given(withPort(history: History.active)).when(.deletePort(uuid: ID.port1)).then([.portDeleted(uuid: ID.port1)])
    }

    @Test("a port with a VIF is not deleted (409)")
    func withVIF() {
        given(withPort() + [.vifAttached(vif: "vif-1", binding: .port(ID.port1))])
            .when(.deletePort(uuid: ID.port1))
            .then(.invalidState("Port \(port1) has VIF vif-1 attached; detach it first, or put the node in maintenance."), httpStatus: 409)
    }

    @Test("in maintenance a port with a VIF is deleted")
    func withVIFInMaintenance() {
        given(withPort() + [.vifAttached(vif: "vif-1", binding: .port(ID.port1))] + History.inMaintenance)
            .when(.deletePort(uuid: ID.port1))
            .then([.portDeleted(uuid: ID.port1)])
    }

    @Test("an unknown port is not found (404)")
    func unknown() {
        given(History.enroll).when(.deletePort(uuid: ID.port1)).then(.resourceNotFound(kind: "Port", id: port1), httpStatus: 404)
    }
}
