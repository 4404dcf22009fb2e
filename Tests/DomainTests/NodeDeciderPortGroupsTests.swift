import Domain
import Foundation
import Testing

private let group1 = ID.group1.lowercased

private let withGroup = History.enroll + [.portGroupCreated(group: fixtureGroup(ID.group1))]

@Suite("Decide: port groups (/v1/portgroups)")
struct NodeDeciderPortGroupsTests {
    @Test("a port group needs nothing; it takes Ironic's defaults (active-backup, standalone ports)")
    func minimal() {
        given(History.enroll)
            .when(.createPortGroup(uuid: ID.group1, fields: [:]))
            .then([.portGroupCreated(group: fixtureGroup(ID.group1))])
    }

    @Test("every creatable field lands in the group; the MAC is normalized")
    func allFields() {
        let expected = fixtureGroup(ID.group1) {
            $0.address = MAC.c
            $0.name = "bond0"
            $0.mode = "802.3ad"
            $0.properties = ["miimon": 100, "xmit_hash_policy": "layer3+4"]
            $0.standalonePortsSupported = false
            $0.physicalNetwork = "physnet1"
            $0.extra = ["a": 1]
            $0.category = "data"
        }
        given(History.enroll)
            .when(.createPortGroup(uuid: ID.group1, fields: [
                "address": "52-54-00-00-00-0C", "name": "bond0", "mode": "802.3ad",
                "properties": ["miimon": 100, "xmit_hash_policy": "layer3+4"], "standalone_ports_supported": false,
                "physical_network": "physnet1", "extra": ["a": 1], "category": "data",
            ]))
            .then([.portGroupCreated(group: expected)])
    }

    @Test("an address that is not a MAC is refused (400)")
    func invalidMAC() {
        given(History.enroll)
            .when(.createPortGroup(uuid: ID.group1, fields: ["address": "nope"]))
            .then(.invalidField("address", reason: "\(ValueError.invalidMAC("nope"))"), httpStatus: 400)
    }

    @Test("a field a port group cannot be created with is refused (400)", arguments: ["internal_info", "ports", "no_such_field"])
    func unknownField(field: String) {
        given(History.enroll)
            .when(.createPortGroup(uuid: ID.group1, fields: [field: [:]]))
            .then(.invalidField(field, reason: "it is not a field a portgroup can be created with"), httpStatus: 400)
    }

    @Test("a MAC or name already in the fleet is refused (409)")
    func duplicates() {
        given(History.enroll, fleet: FakeFleet(macOwners: [MAC.c: ID.group2]))
            .when(.createPortGroup(uuid: ID.group1, fields: ["address": .string(MAC.c)]))
            .then(.duplicateMAC(MAC.c), httpStatus: 409)
        given(History.enroll, fleet: FakeFleet(portNameOwners: ["bond0": ID.group2]))
            .when(.createPortGroup(uuid: ID.group1, fields: ["name": "bond0"]))
            .then(.duplicatePortName("bond0"), httpStatus: 409)
    }

    @Test("a port group UUID that exists is refused (409)")
    func duplicateUUID() {
        given(withGroup)
            .when(.createPortGroup(uuid: ID.group1, fields: [:]))
            .then(.resourceAlreadyExists(kind: "portgroup", id: ID.group1), httpStatus: 409)
        given(History.enroll, fleet: FakeFleet(resourceOwners: [ID.group1: ID.otherNode]))
            .when(.createPortGroup(uuid: ID.group1, fields: [:]))
            .then(.resourceAlreadyExists(kind: "portgroup", id: ID.group1), httpStatus: 409)
    }

    @Test("PATCH changes a group's fields; a new MAC is normalized")
    func update() {
        given(withGroup)
            .when(.updatePortGroup(uuid: ID.group1, patch: patch(("replace", "/mode", "balance-rr"), ("add", "/properties/miimon", 100))))
            .then([.portGroupUpdated(uuid: ID.group1, changes: ["mode": "balance-rr", "properties": ["miimon": 100]])])
        given(withGroup)
            .when(.updatePortGroup(uuid: ID.group1, patch: patch(("replace", "/address", "52-54-00-00-00-0D"))))
            .then([.portGroupUpdated(uuid: ID.group1, changes: ["address": .string(MAC.d)])])
    }

    @Test("PATCH to a MAC or name already in the fleet is refused (409)")
    func updateDuplicates() {
        given(withGroup, fleet: FakeFleet(macOwners: [MAC.d: ID.port3]))
            .when(.updatePortGroup(uuid: ID.group1, patch: patch(("replace", "/address", .string(MAC.d)))))
            .then(.duplicateMAC(MAC.d), httpStatus: 409)
        given(withGroup, fleet: FakeFleet(portNameOwners: ["bond1": ID.group2]))
            .when(.updatePortGroup(uuid: ID.group1, patch: patch(("replace", "/name", "bond1"))))
            .then(.duplicatePortName("bond1"), httpStatus: 409)
    }

    @Test("a field that is not patchable is refused (400)")
    func notPatchable() {
        given(withGroup)
            .when(.updatePortGroup(uuid: ID.group1, patch: patch(("replace", "/node_uuid", .string(ID.otherNode.lowercased)))))
            .then(.invalidParameter("The attribute /node_uuid of a portgroup can not be patched; patchable attributes are: address, category, dynamic_portgroup, extra, mode, name, physical_network, properties, standalone_ports_supported."),
                  httpStatus: 400)
    }

    @Test("a patch that changes nothing decides nothing; an unknown group is not found (404)")
    func noOpAndUnknown() {
        given(withGroup).when(.updatePortGroup(uuid: ID.group1, patch: patch(("replace", "/mode", "active-backup")))).then([])
        given(withGroup)
            .when(.updatePortGroup(uuid: ID.group2, patch: patch(("replace", "/mode", "balance-rr"))))
            .then(.resourceNotFound(kind: "Portgroup", id: ID.group2.lowercased), httpStatus: 404)
    }

    @Test("standalone_ports_supported cannot be turned off while a member port is PXE-enabled (409, §6.1)")
    func standaloneOffWithPXEMember() {
        given(withGroup + [.portCreated(port: fixturePort(ID.port1, MAC.a) { $0.portGroupUUID = ID.group1 })])
            .when(.updatePortGroup(uuid: ID.group1, patch: patch(("replace", "/standalone_ports_supported", false))))
            .thenRefused(httpStatus: 409)
    }

    @Test("an empty port group is deleted")
    func delete() {
        given(withGroup).when(.deletePortGroup(uuid: ID.group1)).then([.portGroupDeleted(uuid: ID.group1)])
    }

    @Test("a port group with ports is not deleted (400)")
    func deleteNonEmpty() {
        given(withGroup + [.portCreated(port: fixturePort(ID.port1, MAC.a) { $0.portGroupUUID = ID.group1 })])
            .when(.deletePortGroup(uuid: ID.group1))
            .then(.portGroupNotEmpty(ID.group1), httpStatus: 400)
    }

    @Test("deleting an unknown port group is not found (404)")
    func deleteUnknown() {
        given(History.enroll).when(.deletePortGroup(uuid: ID.group1)).then(.resourceNotFound(kind: "Portgroup", id: group1), httpStatus: 404)
    }
}
