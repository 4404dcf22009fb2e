import Domain
import Foundation
import Testing

/// The refusal decide gives for a node name that breaks Ironic's name rules (§2 "Names").
private func nameRefusal(_ name: String) -> DomainError {
    do {
        _ = try NodeName(name)
        return .invalidParameter("\(name) is a valid name")
    } catch {
        return .invalidField("name", reason: "\(error)")
    }
}

private let nodeID = ID.node.lowercased

@Suite("Decide: enroll (POST /v1/nodes)")
struct NodeDeciderEnrollTests {
    @Test("a node is enrolled with just a driver")
    func enrollWithDriver() {
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi"]))
            .then([.enrolled(node: Node(uuid: ID.node, driver: "ipmi"))])
    }

    @Test("every creatable field lands in the enrolled node; conductor_group is lower-cased")
    func enrollWithFields() {
        var expected = Node(uuid: ID.node, driver: "redfish")
        expected.name = "web-1"
        expected.driverInfo = ["redfish_address": "https://10.0.0.1", "redfish_system_id": "/redfish/v1/Systems/1"]
        expected.properties = ["cpus": 8, "memory_mb": 16384]
        expected.extra = ["rack": "r1"]
        expected.resourceClass = "baremetal.large"
        expected.conductorGroup = "rack-a"
        expected.maintenance = true
        expected.automatedClean = false
        expected.description = "a web server"
        expected.owner = "project-1"
        expected.bootMode = .uefi
        expected.interfaces[.power] = "redfish"
        expected.interfaces[.deploy] = "direct"
        expected.retired = true
        expected.retiredReason = "old"
        expected.disablePowerOff = true
        expected.instanceUUID = ID.instance
        given()
            .when(.enroll(uuid: ID.node, fields: [
                "driver": "redfish", "name": "web-1",
                "driver_info": ["redfish_address": "https://10.0.0.1", "redfish_system_id": "/redfish/v1/Systems/1"],
                "properties": ["cpus": 8, "memory_mb": 16384], "extra": ["rack": "r1"],
                "resource_class": "baremetal.large", "conductor_group": "Rack-A", "maintenance": true,
                "automated_clean": false, "description": "a web server", "owner": "project-1", "boot_mode": "uefi",
                "power_interface": "redfish", "deploy_interface": "direct", "retired": true, "retired_reason": "old",
                "disable_power_off": true, "instance_uuid": .string(ID.instance.lowercased),
            ]))
            .then([.enrolled(node: expected)])
    }

    @Test("a uuid in the body does not override the command's")
    func uuidInBodyIgnored() {
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "uuid": .string(ID.otherNode.lowercased)]))
            .then([.enrolled(node: Node(uuid: ID.node, driver: "ipmi"))])
    }

    @Test("driver is required (400)", arguments: [
        [:] as [String: JSONValue], ["driver": ""], ["driver": .null], ["driver": 42], ["name": "web-1"],
    ])
    func driverRequired(fields: [String: JSONValue]) {
        given().when(.enroll(uuid: ID.node, fields: fields)).then(.missingParameter("driver"), httpStatus: 400)
    }

    @Test("a field outside the create schema is refused (400)", arguments: [
        "provision_state", "power_state", "traits", "protected", "protected_reason", "maintenance_reason",
        "reservation", "created_at", "no_such_field",
    ])
    func unknownField(field: String) {
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", field: "x"]))
            .then(.invalidField(field, reason: "it is not a field a node can be created with"), httpStatus: 400)
    }

    @Test("console_enabled is part of Ironic's create schema (§2.1)")
    func consoleEnabledCreatable() {
        let events = given().when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "console_enabled": false])).outcome
        #expect((try? events.get()) == [.enrolled(node: Node(uuid: ID.node, driver: "ipmi"))])
    }

    @Test("a name another node has is refused (409)")
    func duplicateName() {
        given(fleet: FakeFleet(nodesByName: ["web-1": ID.otherNode]))
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "name": "web-1"]))
            .then(.duplicateName("web-1"), httpStatus: 409)
    }

    @Test("names must follow Ironic's rules (400)", arguments: [
        "bad name", "slash/name", "", String(repeating: "n", count: 256), "detail", "maintenance",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    ])
    func nameRules(name: String) {
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "name": .string(name)]))
            .then(nameRefusal(name), httpStatus: 400)
    }

    @Test("a field of the wrong type is refused (400)")
    func wrongType() {
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "driver_info": "not an object"]))
            .then(.invalidField("driver_info", reason: "it must be an object"), httpStatus: 400)
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "boot_mode": "legacy"]))
            .then(.invalidField("boot_mode", reason: "legacy is not uefi or bios"), httpStatus: 400)
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "instance_uuid": "not-a-uuid"]))
            .then(.invalidField("instance_uuid", reason: "not-a-uuid is not a UUID"), httpStatus: 400)
    }

    @Test("resource_class is at most 80 characters, description at most 4096 (400)")
    func lengthLimits() {
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "resource_class": .string(String(repeating: "r", count: 81))]))
            .then(.invalidField("resource_class", reason: "it is longer than 80 characters"), httpStatus: 400)
        given()
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "description": .string(String(repeating: "d", count: 4097))]))
            .then(.invalidField("description", reason: "it is longer than 4096 characters"), httpStatus: 400)
    }

    @Test("enrolling a node that exists is refused (409)")
    func alreadyExists() {
        given(History.enroll)
            .when(.enroll(uuid: ID.node, fields: ["driver": "ipmi"]))
            .then(.nodeAlreadyExists(ID.node), httpStatus: 409)
    }

    @Test("a deleted node's UUID can be enrolled again")
    func reenrollAfterDelete() {
        given(History.enroll + [.deleted])
            .when(.enroll(uuid: ID.node, fields: ["driver": "redfish"]))
            .then([.enrolled(node: Node(uuid: ID.node, driver: "redfish"))])
    }

    @Test("any other command on a node that does not exist is refused (404)")
    func notFound() {
        given().when(.delete).then(.nodeNotFound("unknown"), httpStatus: 404)
        given().when(.setMaintenance(reason: nil, fault: nil)).then(.nodeNotFound("unknown"), httpStatus: 404)
        given(History.enroll + [.deleted]).when(.update(patch: [])).then(.nodeNotFound(nodeID), httpStatus: 404)
        given(History.enroll + [.deleted]).when(.requestPower(target: .on, timeout: nil)).then(.nodeNotFound(nodeID), httpStatus: 404)
    }
}

@Suite("Decide: update (PATCH /v1/nodes/{id})")
struct NodeDeciderUpdateTests {
    static let withDriverInfo = History.enrolled { $0.driverInfo = ["ipmi_address": "10.0.0.1", "ipmi_username": "admin"] }

    @Test("add a nested driver_info key")
    func addNested() {
        given(History.enroll)
            .when(.update(patch: patch(("add", "/driver_info/ipmi_address", "10.0.0.1"))))
            .then([.updated(changes: ["driver_info": ["ipmi_address": "10.0.0.1"]])])
    }

    @Test("replace a nested driver_info key; the others stay")
    func replaceNested() {
        given(Self.withDriverInfo)
            .when(.update(patch: patch(("replace", "/driver_info/ipmi_address", "10.0.0.2"))))
            .then([.updated(changes: ["driver_info": ["ipmi_address": "10.0.0.2", "ipmi_username": "admin"]])])
    }

    @Test("remove a nested driver_info key")
    func removeNested() {
        given(Self.withDriverInfo)
            .when(.update(patch: patch(("remove", "/driver_info/ipmi_username", nil))))
            .then([.updated(changes: ["driver_info": ["ipmi_address": "10.0.0.1"]])])
    }

    @Test("removing a whole dict field resets it to {}")
    func removeWholeDict() {
        given(Self.withDriverInfo)
            .when(.update(patch: patch(("remove", "/driver_info", nil))))
            .then([.updated(changes: ["driver_info": [:]])])
    }

    @Test("several fields in one patch give one updated event")
    func severalFields() {
        given(History.enroll)
            .when(.update(patch: patch(("replace", "/name", "web-1"), ("add", "/extra/rack", "r1"), ("replace", "/owner", "p1"))))
            .then([.updated(changes: ["name": "web-1", "extra": ["rack": "r1"], "owner": "p1"])])
    }

    @Test("removing a nested key that is not there is a patch error (400)")
    func removeMissingNested() {
        given(History.enroll)
            .when(.update(patch: patch(("remove", "/driver_info/nope", nil))))
            .then(.invalidParameter("\(PatchError.nonexistentTarget(.remove, path: "/driver_info/nope", member: "nope"))"), httpStatus: 400)
    }

    @Test("a body that is not a JSON Patch is refused (400)")
    func notAPatch() {
        given(History.enroll)
            .when(.update(patch: ["op": "add", "path": "/extra/a", "value": 1]))
            .then(.invalidParameter("\(PatchError.notAnArray)"), httpStatus: 400)
    }

    @Test("a field that is not patchable is refused (400)", arguments: [
        "provision_state", "power_state", "uuid", "boot_mode", "secure_boot", "reservation", "no_such_field",
    ])
    func notPatchable(field: String) {
        let allowed = NodeField.patchable.map(\.name).sorted().joined(separator: ", ")
        given(History.enroll)
            .when(.update(patch: patch(("replace", "/\(field)", "x"))))
            .then(.invalidParameter("The attribute /\(field) can not be patched; patchable attributes are: \(allowed)."), httpStatus: 400)
    }

    @Test("every field the facts list as PATCH-able is patchable (§2.1)", arguments: [
        "automated_clean", "chassis_uuid", "conductor_group", "description", "disable_power_off", "driver",
        "driver_info", "extra", "instance_info", "instance_name", "instance_uuid", "lessee", "maintenance", "name",
        "network_data", "owner", "parent_node", "properties", "protected", "protected_reason", "resource_class",
        "retired", "retired_reason", "shard",
    ] + HardwareInterfaceKind.allCases.map(\.fieldName))
    func patchable(field: String) {
        #expect(NodeField(name: field).map(NodeField.patchable.contains) == true)
    }

    @Test("traits are changed through the traits API, not PATCH (400)")
    func traitsRefused() {
        given(History.enroll)
            .when(.update(patch: patch(("add", "/traits", ["CUSTOM_A"]))))
            .then(.invalidParameter("Cannot update node traits via node patch. Node traits should be updated via the node traits API."),
                  httpStatus: 400)
    }

    @Test("the patched node is re-validated (400)")
    func revalidated() {
        given(History.enroll)
            .when(.update(patch: patch(("replace", "/extra", "x"))))
            .then(.invalidField("extra", reason: "it must be an object"), httpStatus: 400)
        given(History.enroll)
            .when(.update(patch: patch(("remove", "/driver", nil))))
            .then(.invalidField("driver", reason: "a driver is required"), httpStatus: 400)
        given(History.enroll)
            .when(.update(patch: patch(("replace", "/name", "bad name"))))
            .then(nameRefusal("bad name"), httpStatus: 400)
    }

    @Test("a patch that changes nothing decides nothing")
    func noOp() {
        given(History.enroll).when(.update(patch: [])).then([])
        given(History.enroll).when(.update(patch: patch(("replace", "/driver", "ipmi")))).then([])
        given(Self.withDriverInfo).when(.update(patch: patch(("replace", "/driver_info/ipmi_address", "10.0.0.1")))).then([])
    }

    // MARK: Transitions

    /// States with a target that are not in UPDATE_ALLOWED_STATES (§1.1), plus `inspecting` (≥ 1.39).
    static let transitionStates: [ProvisionState] = [
        .deploying, .waitCallBack, .deployHold, .deleting, .cleaning, .cleanWait, .cleanHold, .adopting,
        .rescuing, .rescueWait, .unrescuing, .servicing, .serviceWait, .inspecting,
    ]

    @Test("PATCH during a state transition is refused (409)", arguments: transitionStates)
    func duringTransition(state: ProvisionState) {
        given(History.reaching(state))
            .when(.update(patch: patch(("add", "/extra/a", 1))))
            .then(.invalidState("Node \(nodeID) can not be updated while a state transition is in progress."), httpStatus: 409)
    }

    @Test("PATCH is allowed in UPDATE_ALLOWED_STATES although a target is set", arguments: [
        ProvisionState.deployFailed, .inspectWait, .inspectFailed, .cleanFailed, .error, .verifying, .adoptFailed,
        .rescueFailed, .unrescueFailed, .serviceHold, .serviceFailed,
    ])
    func updateAllowedStates(state: ProvisionState) {
        given(History.reaching(state))
            .when(.update(patch: patch(("add", "/extra/a", 1))))
            .then([.updated(changes: ["extra": ["a": 1]])])
    }

    static let deployingWithInstance = History.enrolled { $0.instanceUUID = ID.instance } + Array(History.deploying.dropFirst())

    @Test("in maintenance, a patch that only removes instance_uuid is allowed mid-transition")
    func maintenanceRemovesInstance() {
        given(Self.deployingWithInstance + History.inMaintenance)
            .when(.update(patch: patch(("remove", "/instance_uuid", nil))))
            .then([.updated(changes: ["instance_uuid": .null])])
    }

    @Test("the instance_uuid exception needs maintenance, and nothing else in the patch (409)")
    func maintenanceExceptionIsNarrow() {
        let refusal = DomainError.invalidState("Node \(nodeID) can not be updated while a state transition is in progress.")
        given(Self.deployingWithInstance)
            .when(.update(patch: patch(("remove", "/instance_uuid", nil))))
            .then(refusal, httpStatus: 409)
        given(Self.deployingWithInstance + History.inMaintenance)
            .when(.update(patch: patch(("remove", "/instance_uuid", nil), ("add", "/extra/a", 1))))
            .then(refusal, httpStatus: 409)
    }

    // MARK: Interfaces

    @Test("driver and interfaces change only in enroll, inspect wait, manageable, available", arguments: [
        ProvisionState.enroll, .manageable, .available, .inspectWait,
    ])
    func interfaceChangeAllowed(state: ProvisionState) {
        given(History.reaching(state))
            .when(.update(patch: patch(("replace", "/driver", "redfish"), ("add", "/power_interface", "redfish"))))
            .then([.updated(changes: ["driver": "redfish", "power_interface": "redfish"])])
    }

    @Test("driver or interface change elsewhere is refused (409)", arguments: [
        ProvisionState.active, .error, .rescue, .deployFailed, .cleanFailed, .inspectFailed, .serviceFailed,
    ])
    func interfaceChangeRefused(state: ProvisionState) {
        let refusal = DomainError.invalidState(
            "Node \(nodeID) can not change its driver or interfaces while it is in state \(state.rawValue); put it in maintenance first.")
        given(History.reaching(state))
            .when(.update(patch: patch(("add", "/deploy_interface", "ramdisk"))))
            .then(refusal, httpStatus: 409)
        given(History.reaching(state))
            .when(.update(patch: patch(("replace", "/driver", "redfish"))))
            .then(refusal, httpStatus: 409)
    }

    @Test("in maintenance, interfaces change in any state")
    func interfaceChangeInMaintenance() {
        given(History.active + History.inMaintenance)
            .when(.update(patch: patch(("add", "/boot_interface", "ipxe"))))
            .then([.updated(changes: ["boot_interface": "ipxe"])])
    }

    @Test("changing the driver while the console is enabled is refused (409, §2.1)")
    func driverChangeWithConsole() {
        given(History.enrolled { $0.consoleEnabled = true })
            .when(.update(patch: patch(("replace", "/driver", "redfish"))))
            .thenRefused(httpStatus: 409)
    }

    // MARK: Instance, resource class, name

    @Test("setting instance_uuid when another is set is refused (409)")
    func instanceAlreadySet() {
        given(History.enrolled { $0.instanceUUID = ID.instance })
            .when(.update(patch: patch(("replace", "/instance_uuid", .string(ID.otherInstance.lowercased)))))
            .then(.nodeAssociated(node: ID.node, instance: ID.instance), httpStatus: 409)
    }

    @Test("setting instance_uuid on a free node, or to the value it has, is fine")
    func instanceSet() {
        given(History.enroll)
            .when(.update(patch: patch(("add", "/instance_uuid", .string(ID.instance.lowercased)))))
            .then([.updated(changes: ["instance_uuid": .string(ID.instance.lowercased)])])
        given(History.enrolled { $0.instanceUUID = ID.instance })
            .when(.update(patch: patch(("replace", "/instance_uuid", .string(ID.instance.lowercased)))))
            .then([])
    }

    @Test("resource_class cannot change on a deployed node (409)")
    func resourceClassOnActive() {
        given(History.enrolled { $0.resourceClass = "small" } + Array(History.active.dropFirst()))
            .when(.update(patch: patch(("replace", "/resource_class", "large"))))
            .then(.invalidState("Node \(nodeID) is active: its resource_class cannot change."), httpStatus: 409)
    }

    @Test("resource_class can change before deployment")
    func resourceClassOnAvailable() {
        given(History.enrolled { $0.resourceClass = "small" } + Array(History.available.dropFirst()))
            .when(.update(patch: patch(("replace", "/resource_class", "large"))))
            .then([.updated(changes: ["resource_class": "large"])])
    }

    @Test("maintenance does not lift the resource_class rule on a deployed node (409, §2.1)")
    func resourceClassOnActiveInMaintenance() {
        given(History.enrolled { $0.resourceClass = "small" } + Array(History.active.dropFirst()) + History.inMaintenance)
            .when(.update(patch: patch(("replace", "/resource_class", "large"))))
            .then(.invalidState("Node \(nodeID) is active: its resource_class cannot change."), httpStatus: 409)
    }

    @Test("renaming to another node's name is refused (409)")
    func duplicateName() {
        given(History.enroll, fleet: FakeFleet(nodesByName: ["web-1": ID.otherNode]))
            .when(.update(patch: patch(("replace", "/name", "web-1"))))
            .then(.duplicateName("web-1"), httpStatus: 409)
    }

    @Test("the fleet knowing this node by its new name is not a duplicate")
    func ownNameNotDuplicate() {
        given(History.enroll, fleet: FakeFleet(nodesByName: ["web-1": ID.node]))
            .when(.update(patch: patch(("replace", "/name", "web-1"))))
            .then([.updated(changes: ["name": "web-1"])])
    }

    // MARK: Maintenance through PATCH

    @Test("maintenance true through PATCH becomes maintenanceSet, with the reason")
    func maintenanceOn() {
        given(History.enroll)
            .when(.update(patch: patch(("replace", "/maintenance", true), ("add", "/maintenance_reason", "disk swap"))))
            .then([.maintenanceSet(reason: "disk swap")])
        given(History.enroll)
            .when(.update(patch: patch(("replace", "/maintenance", true))))
            .then([.maintenanceSet(reason: nil)])
    }

    @Test("maintenance false through PATCH becomes maintenanceCleared")
    func maintenanceOff() {
        given(History.enroll + History.inMaintenance)
            .when(.update(patch: patch(("replace", "/maintenance", false))))
            .then([.maintenanceCleared])
    }

    @Test("other fields in the same patch come first, as an updated event")
    func maintenanceWithOtherFields() {
        given(History.enroll)
            .when(.update(patch: patch(("add", "/extra/a", 1), ("replace", "/maintenance", true))))
            .then([.updated(changes: ["extra": ["a": 1]]), .maintenanceSet(reason: nil)])
        given(History.enroll + History.inMaintenance)
            .when(.update(patch: patch(("replace", "/maintenance", false), ("replace", "/owner", "p1"))))
            .then([.updated(changes: ["owner": "p1"]), .maintenanceCleared])
    }
}

@Suite("Decide: delete (DELETE /v1/nodes/{id})")
struct NodeDeciderDeleteTests {
    @Test("a node in DELETE_ALLOWED_STATES is deleted", arguments: [
        ProvisionState.enroll, .manageable, .available, .adoptFailed,
    ])
    func deleteAllowed(state: ProvisionState) {
        given(History.reaching(state)).when(.delete).then([.deleted])
    }

    @Test("deleting in any other state is refused (409)",
          arguments: ProvisionState.allCases.filter { ![.enroll, .manageable, .available, .adoptFailed].contains($0) })
    func deleteWrongState(state: ProvisionState) {
        given(History.reaching(state))
            .when(.delete)
            .then(.invalidState("Can not delete node \"\(nodeID)\" while it is in provision state \"\(state.rawValue)\"."), httpStatus: 409)
    }

    @Test("in maintenance, a node is deleted in any state", arguments: ProvisionState.allCases)
    func deleteInMaintenance(state: ProvisionState) {
        given(History.reaching(state) + History.inMaintenance).when(.delete).then([.deleted])
    }

    @Test("a protected node cannot be deleted (403), even in maintenance")
    func protected() {
        given(History.enrolled { $0.protected = true }).when(.delete).then(.nodeProtected(ID.node), httpStatus: 403)
        given(History.enrolled { $0.protected = true } + History.inMaintenance).when(.delete).then(.nodeProtected(ID.node), httpStatus: 403)
    }

    @Test("a node with an instance is deleted only in maintenance (409)")
    func withInstance() {
        given(History.enrolled { $0.instanceUUID = ID.instance })
            .when(.delete)
            .then(.nodeAssociated(node: ID.node, instance: ID.instance), httpStatus: 409)
        given(History.enrolled { $0.instanceUUID = ID.instance } + History.inMaintenance).when(.delete).then([.deleted])
    }
}
