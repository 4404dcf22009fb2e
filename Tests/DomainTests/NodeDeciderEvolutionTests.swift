import Domain
import Foundation
import Testing

/// The time the `index`-th given event was recorded at.
private func t(_ index: Int) -> Int64 { GivenWhenThen.time(of: index) }

/// The node after the given events; records an issue if there is none.
private func nodeAfter(_ events: [NodeEvent], sourceLocation: SourceLocation = #_sourceLocation) -> Node {
    guard let state = given(events).state else {
        Issue.record("no node after \(events)", sourceLocation: sourceLocation)
        return fixtureNode()
    }
    return state.node
}

@Suite("Evolve: the state after each event")
struct NodeDeciderEvolutionTests {
    @Test("enrolled: a fresh aggregate, created and provision-stamped at the event's time")
    func enrolled() throws {
        let state = try #require(given(History.enroll).state)
        var expected = fixtureNode()
        expected.createdAt = t(0)
        expected.provisionUpdatedAt = t(0)
        #expect(state == NodeAggregate(node: expected))
        #expect(state.node.provisionState == .enroll)
        #expect(state.node.powerState == nil)
        #expect(state.node.updatedAt == nil)
    }

    @Test("updated: the changed fields, and updated_at")
    func updated() {
        let node = nodeAfter(History.enroll + [.updated(changes: ["name": "web-1", "driver_info": ["ipmi_address": "10.0.0.1"],
                                                                   "power_interface": "ipmitool", "instance_uuid": .string(ID.instance.lowercased)])])
        #expect(node.name == "web-1")
        #expect(node.driverInfo == ["ipmi_address": "10.0.0.1"])
        #expect(node.interfaces[.power] == "ipmitool")
        #expect(node.instanceUUID == ID.instance)
        #expect(node.updatedAt == t(1))
        #expect(node.createdAt == t(0))
    }

    @Test("provisionStateChanged: state, target, provision_updated_at and updated_at")
    func provisionStateChanged() {
        let node = nodeAfter(History.available)
        #expect(node.provisionState == .available)
        #expect(node.targetProvisionState == nil)
        #expect(node.provisionUpdatedAt == t(4))
        #expect(node.updatedAt == t(4))
        let deploying = nodeAfter(History.deploying)
        #expect(deploying.provisionState == .deploying)
        #expect(deploying.targetProvisionState == .active)
        #expect(deploying.provisionUpdatedAt == t(5))
    }

    @Test("a failure records last_error; a new verb clears it; internal moves keep it")
    func lastErrorAcrossMoves() {
        let failed = History.deploying + [moved(.deploying, .fail, .deployFailed, target: .active, error: "image checksum mismatch")]
        #expect(nodeAfter(failed).lastError == "image checksum mismatch")
        #expect(nodeAfter(failed + [.updated(changes: ["extra": ["a": 1]])]).lastError == "image checksum mismatch")
        let retried = failed + [moved(.deployFailed, .deploy, .deploying, target: .active, verb: .active)]
        #expect(nodeAfter(retried).lastError == nil)
        let internalMove = History.enroll + [.lastErrorChanged(error: "old"), moved(.enroll, .manage, .verifying, target: .manageable),
                                             moved(.verifying, .done, .manageable, target: nil)]
        #expect(nodeAfter(internalMove).lastError == "old")
    }

    @Test("inspection_started_at when inspecting starts; kept on resume; inspection_finished_at on manageable")
    func inspectionTimestamps() {
        let inspecting = nodeAfter(History.inspecting)
        #expect(inspecting.inspectionStartedAt == t(3))
        #expect(inspecting.inspectionFinishedAt == nil)
        let resumed = History.inspectWait + [moved(.inspectWait, .resume, .inspecting, target: .manageable)]
        #expect(nodeAfter(resumed).inspectionStartedAt == t(3))
        let finished = resumed + [moved(.inspecting, .done, .manageable, target: nil)]
        #expect(nodeAfter(finished).inspectionFinishedAt == t(6))
        #expect(nodeAfter(finished).inspectionStartedAt == t(3))
        let finishedFromWait = History.inspectWait + [moved(.inspectWait, .done, .manageable, target: nil)]
        #expect(nodeAfter(finishedFromWait).inspectionFinishedAt == t(5))
    }

    @Test("inspectionRecorded: the inventory, and properties merged into the node's")
    func inspectionRecorded() throws {
        let events = History.enrolled { $0.properties = ["cpu_arch": "x86_64", "capabilities": "boot_mode:uefi"] }
            + Array(History.inspecting.dropFirst())
            + [.inspectionRecorded(inventory: ["cpu": ["count": 8]], properties: ["cpus": 8, "cpu_arch": "aarch64"])]
        let state = try #require(given(events).state)
        #expect(state.inventory == ["cpu": ["count": 8]])
        #expect(state.node.properties == ["cpu_arch": "aarch64", "capabilities": "boot_mode:uefi", "cpus": 8])
        #expect(state.node.updatedAt == t(4))
    }

    @Test("tear-down finished (deleting --clean--> cleaning): the instance fields are cleared")
    func instanceClearedAfterTeardown() {
        let withInstance = History.enrolled {
            $0.instanceUUID = ID.instance
            $0.instanceName = "web-1"
            $0.instanceInfo = ["image_source": "http://images/x.qcow2"]
        } + Array(History.deleting.dropFirst())
        let deleting = nodeAfter(withInstance)
        #expect(deleting.instanceUUID == ID.instance)
        let cleaning = nodeAfter(withInstance + [moved(.deleting, .clean, .cleaning, target: .available)])
        #expect(cleaning.instanceUUID == nil)
        #expect(cleaning.instanceName == nil)
        #expect(cleaning.instanceInfo == [:])
        #expect(cleaning.provisionState == .cleaning)
        #expect(cleaning.targetProvisionState == .available)
    }

    @Test("steps: started and finished, an error lands in last_error, a stable or failed state clears them")
    func steps() {
        let step: JSONValue = ["interface": "deploy", "step": "write_image"]
        let started = History.deploying + [.stepStarted(phase: .deploy, step: step)]
        #expect(nodeAfter(started).deployStep == step)
        let failed = started + [.stepFinished(phase: .deploy, step: step, error: "disk full")]
        #expect(nodeAfter(failed).deployStep == [:])
        #expect(nodeAfter(failed).lastError == "disk full")
        let cleanStep: JSONValue = ["interface": "deploy", "step": "erase_devices"]
        let cleanFailed = History.cleanWait + [.stepStarted(phase: .clean, step: cleanStep),
                                               moved(.cleanWait, .fail, .cleanFailed, target: .available, error: "timeout")]
        #expect(nodeAfter(cleanFailed).cleanStep == [:])
        #expect(nodeAfter(History.cleanWait + [.stepStarted(phase: .clean, step: cleanStep)]).cleanStep == cleanStep)
    }

    @Test("power: a request sets the target and clears last_error; a report sets the state; a failure records the error")
    func power() {
        let requested = History.enroll + [.lastErrorChanged(error: "old"), .powerActionRequested(target: .softRebooting, timeout: 60)]
        #expect(nodeAfter(requested).targetPowerState == .on)
        #expect(nodeAfter(requested).lastError == nil)
        #expect(nodeAfter(requested).updatedAt == t(2))
        let done = requested + [.powerStateChanged(from: nil, to: .on)]
        #expect(nodeAfter(done).powerState == .on)
        #expect(nodeAfter(done).targetPowerState == nil)
        let failed = History.enroll + History.poweredOn + [.powerActionRequested(target: .off, timeout: nil),
                                                          .powerActionFailed(target: .off, error: "BMC timeout")]
        #expect(nodeAfter(failed).powerState == .on)
        #expect(nodeAfter(failed).targetPowerState == nil)
        #expect(nodeAfter(failed).lastError == "BMC timeout")
    }

    @Test("maintenance: set with a reason; cleared resets reason and fault")
    func maintenance() {
        let set = History.enroll + [.maintenanceSet(reason: "power sync"), .faultChanged(fault: "power failure")]
        #expect(nodeAfter(set).maintenance)
        #expect(nodeAfter(set).maintenanceReason == "power sync")
        #expect(nodeAfter(set).fault == "power failure")
        let cleared = nodeAfter(set + [.maintenanceCleared])
        #expect(!cleared.maintenance)
        #expect(cleared.maintenanceReason == nil)
        #expect(cleared.fault == nil)
        #expect(cleared.updatedAt == t(3))
    }

    @Test("traits, boot device, last_error")
    func simpleFields() {
        let node = nodeAfter(History.enroll + [.traitsSet(traits: ["CUSTOM_A"]), .bootDeviceSet(device: .pxe, persistent: true),
                                                 .lastErrorChanged(error: "e")])
        #expect(node.traits == ["CUSTOM_A"])
        #expect(node.bootDevice == .pxe)
        #expect(node.bootDevicePersistent == true)
        #expect(node.lastError == "e")
    }

    @Test("ports: created at the event's time, updated with updated_at, bound and unbound, deleted")
    func ports() throws {
        let created = History.enroll + [.portCreated(port: fixturePort(ID.port1, MAC.a))]
        let state = try #require(given(created).state)
        #expect(state.ports[ID.port1]?.createdAt == t(1))
        let updated = try #require(given(created + [.portUpdated(uuid: ID.port1, changes: ["pxe_enabled": false, "extra": ["a": 1]])]).state)
        #expect(updated.ports[ID.port1]?.pxeEnabled == false)
        #expect(updated.ports[ID.port1]?.extra == ["a": 1])
        #expect(updated.ports[ID.port1]?.updatedAt == t(2))
        let bound = try #require(given(created + [.vifAttached(vif: "vif-1", binding: .port(ID.port1))]).state)
        #expect(bound.ports[ID.port1]?.tenantVIF == "vif-1")
        #expect(bound.binding(of: "vif-1") == .port(ID.port1))
        #expect(bound.attachedVIFs == ["vif-1"])
        let unbound = try #require(given(created + [.vifAttached(vif: "vif-1", binding: .port(ID.port1)),
                                                    .vifDetached(vif: "vif-1", binding: .port(ID.port1))]).state)
        #expect(unbound.ports[ID.port1]?.tenantVIF == nil)
        #expect(unbound.attachedVIFs == [])
        let deleted = try #require(given(created + [.portDeleted(uuid: ID.port1)]).state)
        #expect(deleted.ports.isEmpty)
    }

    @Test("port groups and volume resources; deleting a target detaches it")
    func groupsAndVolumes() throws {
        let target = VolumeTarget(uuid: ID.target1, nodeUUID: ID.node, volumeType: "iscsi", bootIndex: 0, volumeID: "vol-1")
        let events = History.enroll + [
            .portGroupCreated(group: fixtureGroup(ID.group1)),
            .portGroupUpdated(uuid: ID.group1, changes: ["mode": "802.3ad"]),
            .volumeConnectorCreated(connector: VolumeConnector(uuid: ID.connector1, nodeUUID: ID.node, type: "iqn", connectorID: "iqn.x")),
            .volumeTargetCreated(target: target),
            .volumesAttached(targets: [ID.target1]),
        ]
        let state = try #require(given(events).state)
        #expect(state.portGroups[ID.group1]?.mode == "802.3ad")
        #expect(state.portGroups[ID.group1]?.createdAt == t(1))
        #expect(state.portGroups[ID.group1]?.updatedAt == t(2))
        #expect(state.volumeConnectors[ID.connector1]?.createdAt == t(3))
        #expect(state.volumeTargets[ID.target1]?.createdAt == t(4))
        #expect(state.attachedVolumes == [ID.target1: t(5)], "attached at the time of the event")
        let after = try #require(given(events + [.volumeTargetDeleted(uuid: ID.target1), .volumeConnectorDeleted(uuid: ID.connector1),
                                                 .portGroupDeleted(uuid: ID.group1)]).state)
        #expect(after.volumeTargets.isEmpty)
        #expect(after.attachedVolumes.isEmpty)
        #expect(after.volumeConnectors.isEmpty)
        #expect(after.portGroups.isEmpty)
    }

    @Test("network phase")
    func networkPhase() {
        #expect(given(History.deploying + [.networkPhaseChanged(from: nil, to: .provisioning)]).state?.networkPhase == .provisioning)
    }

    @Test("deleted: the aggregate is marked deleted, and later events change nothing")
    func deletedIsFinal() throws {
        let deleted = try #require(given(History.enroll + [.deleted]).state)
        #expect(deleted.deleted)
        for event: NodeEvent in [.updated(changes: ["name": "x"]), .maintenanceSet(reason: "r"), .powerStateChanged(from: nil, to: .on),
                                 moved(.enroll, .manage, .verifying, target: .manageable, verb: .manage)] {
            #expect(NodeEvolution.evolve(deleted, event, at: t(9)) == deleted)
        }
    }

    @Test("nil in, nil out — except for enrolled")
    func nilState() {
        for event: NodeEvent in [.deleted, .updated(changes: ["name": "x"]), .maintenanceCleared, .portDeleted(uuid: ID.port1)] {
            #expect(NodeEvolution.evolve(nil, event, at: t(0)) == nil)
        }
        #expect(NodeEvolution.evolve(nil, .enrolled(node: fixtureNode()), at: t(0)) != nil)
    }

    @Test("decide then evolve: an enrolled node walks to active")
    func decideThenEvolve() throws {
        var state: NodeAggregate?
        var index = 0
        func run(_ command: NodeCommand) throws {
            for event in try NodeDecider.decide(state, command, fleet: FakeFleet()) {
                state = NodeEvolution.evolve(state, event, at: t(index))
                index += 1
            }
        }
        try run(.enroll(uuid: ID.node, fields: ["driver": "ipmi", "name": "web-1"]))
        try run(.provision(verb: .manage, arguments: .init()))
        try run(.advance(event: .done, error: nil))
        try run(.provision(verb: .provide, arguments: .init()))
        try run(.advance(event: .done, error: nil))
        try run(.provision(verb: .active, arguments: .init()))
        try run(.advance(event: .wait, error: nil))
        try run(.advance(event: .resume, error: nil))
        try run(.advance(event: .done, error: nil))
        let node = try #require(state?.node)
        #expect(node.provisionState == .active)
        #expect(node.targetProvisionState == nil)
        #expect(node.provisionUpdatedAt == t(8))
        #expect(node.name == "web-1")
    }
}
