import Domain
import Foundation
import Testing

private let nodeID = ID.node.lowercased

/// One API verb fired from a state where §1.3 allows its event.
struct VerbCase: Sendable, CustomTestStringConvertible {
    let row: FactsTable.Row
    let verb: ProvisionVerb
    var testDescription: String { "\(verb.rawValue) in \(row.from.rawValue) → \(row.to.rawValue)" }

    static let all: [VerbCase] = FactsTable.rows.filter(\.isAPI).flatMap { row in
        FactsTable.verbs(firing: row.event).map { VerbCase(row: row, verb: $0) }
    }
}

/// An expected user-requested move.
private func requested(_ from: ProvisionState, _ verb: ProvisionVerb, _ to: ProvisionState, target: ProvisionState?,
                       arguments: ProvisionArguments? = nil) -> NodeEvent {
    .provisionStateChanged(change: ProvisionStateChange(from: from, to: to, event: verb.event, target: target, verb: verb, arguments: arguments))
}

@Suite("Decide: provision verbs (PUT /states/provision)")
struct NodeDeciderProvisionTests {
    @Test("every verb from a state that allows it moves the node, with §1.1's target", arguments: VerbCase.all)
    func everyVerb(verbCase: VerbCase) {
        let row = verbCase.row, verb = verbCase.verb
        let arguments = FactsTable.minimalArguments(for: verb)
        let target = verb == .clean ? .manageable : FactsTable.target(of: row.to)
        given(History.reaching(row.from))
            .when(.provision(verb: verb, arguments: arguments))
            .then([requested(row.from, verb, row.to, target: target, arguments: arguments == ProvisionArguments() ? nil : arguments)])
    }

    @Test("a verb the state does not allow is refused (400)", arguments: ProvisionState.allCases)
    func invalidTransitions(state: ProvisionState) {
        for verb in ProvisionVerb.allCases where !FactsTable.rows.contains(where: { $0.isAPI && $0.from == state && $0.event == verb.event }) {
            given(History.reaching(state))
                .when(.provision(verb: verb, arguments: FactsTable.minimalArguments(for: verb)))
                .then(.invalidStateRequested(action: verb.rawValue, node: ID.node, state: state), httpStatus: 400)
        }
    }

    @Test("manual cleaning targets manageable, and keeps that target to the end")
    func manualClean() {
        let steps = ProvisionArguments(cleanSteps: [["interface": "raid", "step": "create_configuration", "args": [:]]])
        given(History.manageable)
            .when(.provision(verb: .clean, arguments: steps))
            .then([requested(.manageable, .clean, .cleaning, target: .manageable, arguments: steps)])
        let cleanWait = History.manualCleaning + [moved(.cleaning, .wait, .cleanWait, target: .manageable)]
        given(cleanWait)
            .when(.provision(verb: .abort, arguments: .init()))
            .then([requested(.cleanWait, .abort, .cleanFailed, target: .manageable)])
        given(cleanWait + [moved(.cleanWait, .hold, .cleanHold, target: .manageable)])
            .when(.provision(verb: .unhold, arguments: .init()))
            .then([requested(.cleanHold, .unhold, .cleanWait, target: .manageable)])
    }

    @Test("automated cleaning after provide targets available")
    func automatedClean() {
        given(History.manageable)
            .when(.provision(verb: .provide, arguments: .init()))
            .then([requested(.manageable, .provide, .cleaning, target: .available)])
        given(History.cleanWait)
            .when(.provision(verb: .abort, arguments: .init()))
            .then([requested(.cleanWait, .abort, .cleanFailed, target: .available)])
    }

    // MARK: Maintenance, protected, retired

    @Test("deploy and rebuild are refused in maintenance (400)")
    func maintenance() {
        for verb in [ProvisionVerb.active, .deploy] {
            given(History.available + History.inMaintenance)
                .when(.provision(verb: verb, arguments: .init()))
                .then(.nodeInMaintenance(action: verb.rawValue, node: ID.node), httpStatus: 400)
        }
        given(History.active + History.inMaintenance)
            .when(.provision(verb: .rebuild, arguments: .init()))
            .then(.nodeInMaintenance(action: "rebuild", node: ID.node), httpStatus: 400)
    }

    @Test("the maintenance check comes before the state machine's")
    func maintenanceBeforeStateMachine() {
        given(History.manageable + History.inMaintenance)
            .when(.provision(verb: .active, arguments: .init()))
            .then(.nodeInMaintenance(action: "active", node: ID.node), httpStatus: 400)
    }

    @Test("other verbs still work in maintenance (undeploy, manage; provide with Ironic's default allow_provisioning_in_maintenance)")
    func otherVerbsInMaintenance() {
        given(History.active + History.inMaintenance)
            .when(.provision(verb: .undeploy, arguments: .init()))
            .then([requested(.active, .undeploy, .deleting, target: .available)])
        given(History.manageable + History.inMaintenance)
            .when(.provision(verb: .provide, arguments: .init()))
            .then([requested(.manageable, .provide, .cleaning, target: .available)])
    }

    static let protectedActive = History.enrolled { $0.protected = true } + Array(History.active.dropFirst())

    @Test("a protected active node cannot be rebuilt or undeployed (403)", arguments: [
        ProvisionVerb.rebuild, .deleted, .undeploy,
    ])
    func protected(verb: ProvisionVerb) {
        given(Self.protectedActive)
            .when(.provision(verb: verb, arguments: .init()))
            .then(.nodeProtected(ID.node), httpStatus: 403)
    }

    @Test("a protected active node can still be rescued or serviced")
    func protectedOtherVerbs() {
        given(Self.protectedActive)
            .when(.provision(verb: .rescue, arguments: ProvisionArguments(rescuePassword: "pw")))
            .then([requested(.active, .rescue, .rescuing, target: .rescue, arguments: ProvisionArguments(rescuePassword: "pw"))])
    }

    @Test("a retired node cannot be provided (400)")
    func retired() {
        given(History.enrolled { $0.retired = true } + Array(History.manageable.dropFirst()))
            .when(.provision(verb: .provide, arguments: .init()))
            .then(.nodeRetired(ID.node), httpStatus: 400)
    }

    @Test("a retired node can still be managed and inspected")
    func retiredOtherVerbs() {
        given(History.enrolled { $0.retired = true } + Array(History.manageable.dropFirst()))
            .when(.provision(verb: .inspect, arguments: .init()))
            .then([requested(.manageable, .inspect, .inspecting, target: .manageable)])
    }

    // MARK: Arguments (§2.2 "Provision body rules")

    @Test("configdrive goes with active, deploy and rebuild, and is recorded in the event")
    func configdriveAllowed() {
        let withDrive = ProvisionArguments(configdrive: ["user_data": "#!/bin/sh", "meta_data": ["hostname": "web-1"]])
        for verb in [ProvisionVerb.active, .deploy] {
            given(History.available)
                .when(.provision(verb: verb, arguments: withDrive))
                .then([requested(.available, verb, .deploying, target: .active, arguments: withDrive)])
        }
        given(History.active)
            .when(.provision(verb: .rebuild, arguments: withDrive))
            .then([requested(.active, .rebuild, .deploying, target: .active, arguments: withDrive)])
    }

    @Test("configdrive with any other verb is refused (400)", arguments: [
        ProvisionVerb.manage, .provide, .undeploy, .deleted, .inspect,
    ])
    func configdriveRefused(verb: ProvisionVerb) {
        given(History.available)
            .when(.provision(verb: verb, arguments: ProvisionArguments(configdrive: "http://example.com/cd.iso")))
            .then(.invalidParameter("Adding a config drive is only supported when setting provision state to active, deploy or rebuild"),
                  httpStatus: 400)
    }

    @Test("clean needs clean_steps (or a runbook) (400)")
    func cleanStepsRequired() {
        given(History.manageable)
            .when(.provision(verb: .clean, arguments: .init()))
            .then(.invalidParameter("\"clean_steps\" is required when setting target provision state to clean"), httpStatus: 400)
        given(History.manageable)
            .when(.provision(verb: .clean, arguments: ProvisionArguments(runbook: "rb-1")))
            .then([requested(.manageable, .clean, .cleaning, target: .manageable, arguments: ProvisionArguments(runbook: "rb-1"))])
    }

    @Test("clean_steps only go with clean (400)")
    func cleanStepsOnlyWithClean() {
        given(History.manageable)
            .when(.provision(verb: .provide, arguments: ProvisionArguments(cleanSteps: [["interface": "deploy", "step": "erase_devices"]])))
            .then(.invalidParameter("\"clean_steps\" is only valid when setting target provision state to clean"), httpStatus: 400)
    }

    @Test("each clean or service step needs interface and step (400)")
    func stepShape() {
        let refusal = DomainError.invalidParameter("Each step needs \"interface\" and \"step\"")
        given(History.manageable)
            .when(.provision(verb: .clean, arguments: ProvisionArguments(cleanSteps: [["interface": "deploy"]])))
            .then(refusal, httpStatus: 400)
        given(History.active)
            .when(.provision(verb: .service, arguments: ProvisionArguments(serviceSteps: [["step": "update"]])))
            .then(refusal, httpStatus: 400)
    }

    @Test("a step's shape is Ironic's: a known interface, a non-empty step, args an object, no other member (400, nothing decided)")
    func stepTypes() {
        let badClean: [JSONValue] = [
            ["interface": 1, "step": "x"], ["interface": "bogus", "step": "x"], ["interface": "console", "step": "x"],
            ["interface": "deploy", "step": ""], ["interface": "deploy", "step": 1], ["interface": "deploy", "step": "x", "args": "a"],
            ["interface": "deploy", "step": "x", "bogus": 1], ["interface": "deploy", "step": "x", "priority": 10], "step",
        ]
        for step in badClean {
            given(History.manageable)
                .when(.provision(verb: .clean, arguments: ProvisionArguments(cleanSteps: [step])))
                .thenRefused(httpStatus: 400)
        }
        given(History.active)
            .when(.provision(verb: .service, arguments: ProvisionArguments(serviceSteps: [["interface": "deploy", "step": "x", "args": []]])))
            .thenRefused(httpStatus: 400)
        for step: JSONValue in [["interface": "deploy", "step": "x", "args": [:], "priority": -1],
                                ["interface": "deploy", "step": "x", "args": [:], "priority": "high"],
                                ["interface": "deploy", "step": "x", "args": [:], "priority": 1.5],
                                ["interface": "deploy", "step": "x", "args": [:], "priority": 1, "bogus": 1]] {
            given(History.available)
                .when(.provision(verb: .active, arguments: ProvisionArguments(deploySteps: [step])))
                .thenRefused(httpStatus: 400)
        }
    }

    @Test("deploy_steps go with active/deploy/rebuild only, each with interface, step, args and priority (400)")
    func deploySteps() {
        let good = ProvisionArguments(deploySteps: [["interface": "deploy", "step": "write_image", "args": [:], "priority": 80]])
        given(History.available)
            .when(.provision(verb: .active, arguments: good))
            .then([requested(.available, .active, .deploying, target: .active, arguments: good)])
        given(History.available)
            .when(.provision(verb: .manage, arguments: good))
            .then(.invalidParameter("\"deploy_steps\" is only valid when setting target provision state to active, deploy or rebuild"),
                  httpStatus: 400)
        for missing in ["interface", "step", "args", "priority"] {
            var step: [String: JSONValue] = ["interface": "deploy", "step": "write_image", "args": [:], "priority": 80]
            step.removeValue(forKey: missing)
            given(History.available)
                .when(.provision(verb: .deploy, arguments: ProvisionArguments(deploySteps: [.object(step)])))
                .then(.invalidParameter("Each deploy step needs \"\(missing)\""), httpStatus: 400)
        }
    }

    @Test("service needs service_steps (or a runbook); service_steps only go with service (400)")
    func serviceSteps() {
        given(History.active)
            .when(.provision(verb: .service, arguments: .init()))
            .then(.invalidParameter("\"service_steps\" is required when setting target provision state to service"), httpStatus: 400)
        given(History.active)
            .when(.provision(verb: .rebuild, arguments: ProvisionArguments(serviceSteps: [["interface": "bios", "step": "apply"]])))
            .then(.invalidParameter("\"service_steps\" is only valid when setting target provision state to service"), httpStatus: 400)
        given(History.active)
            .when(.provision(verb: .service, arguments: ProvisionArguments(runbook: "rb-1")))
            .then([requested(.active, .service, .servicing, target: .active, arguments: ProvisionArguments(runbook: "rb-1"))])
    }

    @Test("rescue needs a non-empty rescue_password, which only goes with rescue (400)")
    func rescuePassword() {
        let required = DomainError.invalidParameter(
            "A non-empty \"rescue_password\" is required when setting target provision state to rescue")
        given(History.active).when(.provision(verb: .rescue, arguments: .init())).then(required, httpStatus: 400)
        given(History.active).when(.provision(verb: .rescue, arguments: ProvisionArguments(rescuePassword: ""))).then(required, httpStatus: 400)
        given(History.active)
            .when(.provision(verb: .undeploy, arguments: ProvisionArguments(rescuePassword: "pw")))
            .then(.invalidParameter("\"rescue_password\" is only valid when setting target provision state to rescue"), httpStatus: 400)
    }

    @Test("disable_ramdisk goes with clean and service only (400)")
    func disableRamdisk() {
        let clean = ProvisionArguments(cleanSteps: [["interface": "deploy", "step": "erase_devices_metadata"]], disableRamdisk: true)
        given(History.manageable)
            .when(.provision(verb: .clean, arguments: clean))
            .then([requested(.manageable, .clean, .cleaning, target: .manageable, arguments: clean)])
        let service = ProvisionArguments(serviceSteps: [["interface": "bios", "step": "apply"]], disableRamdisk: true)
        given(History.active)
            .when(.provision(verb: .service, arguments: service))
            .then([requested(.active, .service, .servicing, target: .active, arguments: service)])
        given(History.manageable)
            .when(.provision(verb: .provide, arguments: ProvisionArguments(disableRamdisk: true)))
            .then(.invalidParameter("\"disable_ramdisk\" can only be used with automated cleaning or servicing"), httpStatus: 400)
    }

    @Test("body rules are checked before the state machine")
    func argumentsBeforeState() {
        given(History.enroll)
            .when(.provision(verb: .clean, arguments: .init()))
            .then(.invalidParameter("\"clean_steps\" is required when setting target provision state to clean"), httpStatus: 400)
    }
}

@Suite("Decide: work in progress (advance)")
struct NodeDeciderAdvanceTests {
    @Test("every internal row of §1.3 moves the node, with §1.1's target",
          arguments: FactsTable.rows.filter { !$0.isAPI })
    func everyInternalRow(row: FactsTable.Row) {
        given(History.reaching(row.from))
            .when(.advance(event: row.event, error: nil))
            .then([moved(row.from, row.event, row.to, target: FactsTable.target(of: row.to),
                         error: row.event == .fail ? "Unknown failure" : nil)])
    }

    @Test("fail carries the error into the event")
    func failWithError() {
        given(History.deploying)
            .when(.advance(event: .fail, error: "IPMI power on failed"))
            .then([moved(.deploying, .fail, .deployFailed, target: .active, error: "IPMI power on failed")])
        given(History.deleting)
            .when(.advance(event: .fail, error: "tear down failed"))
            .then([moved(.deleting, .fail, .error, target: nil, error: "tear down failed")])
    }

    @Test("done, wait, resume, hold along a deployment")
    func deployPath() {
        given(History.deploying).when(.advance(event: .wait, error: nil)).then([moved(.deploying, .wait, .waitCallBack, target: .active)])
        given(History.waitCallBack).when(.advance(event: .resume, error: nil)).then([moved(.waitCallBack, .resume, .deploying, target: .active)])
        given(History.waitCallBack).when(.advance(event: .hold, error: nil)).then([moved(.waitCallBack, .hold, .deployHold, target: .active)])
        given(History.deploying).when(.advance(event: .done, error: nil)).then([moved(.deploying, .done, .active, target: nil)])
    }

    @Test("tear-down ends with an internal clean into automated cleaning")
    func teardownToCleaning() {
        given(History.deleting).when(.advance(event: .clean, error: nil)).then([moved(.deleting, .clean, .cleaning, target: .available)])
    }

    @Test("a manual clean keeps target manageable and ends with an internal manage")
    func manualCleanOutcomes() {
        given(History.manualCleaning).when(.advance(event: .wait, error: nil)).then([moved(.cleaning, .wait, .cleanWait, target: .manageable)])
        given(History.manualCleaning).when(.advance(event: .hold, error: nil)).then([moved(.cleaning, .hold, .cleanHold, target: .manageable)])
        given(History.manualCleaning)
            .when(.advance(event: .fail, error: "step failed"))
            .then([moved(.cleaning, .fail, .cleanFailed, target: .manageable, error: "step failed")])
        given(History.manualCleaning).when(.advance(event: .manage, error: nil)).then([moved(.cleaning, .manage, .manageable, target: nil)])
    }

    @Test("an internal event the state does not allow is refused (409)", arguments: ProvisionState.allCases)
    func invalidInternal(state: ProvisionState) {
        let internalEvents: [ProvisionEvent] = [.done, .fail, .wait, .resume, .hold, .clean, .manage]
        for event in internalEvents where !FactsTable.rows.contains(where: { !$0.isAPI && $0.from == state && $0.event == event }) {
            given(History.reaching(state))
                .when(.advance(event: event, error: nil))
                .then(.invalidState("Node \(nodeID) cannot take the internal event \"\(event.rawValue)\" in state \"\(state.rawValue)\"."),
                      httpStatus: 409)
        }
    }

    @Test("an API-only event is not an internal one (409)")
    func apiEventRefused() {
        given(History.cleanWait)
            .when(.advance(event: .abort, error: nil))
            .then(.invalidState("Node \(nodeID) cannot take the internal event \"abort\" in state \"clean wait\"."), httpStatus: 409)
        given(History.available)
            .when(.advance(event: .deploy, error: nil))
            .then(.invalidState("Node \(nodeID) cannot take the internal event \"deploy\" in state \"available\"."), httpStatus: 409)
        given(History.manageable)
            .when(.advance(event: .clean, error: nil))
            .then(.invalidState("Node \(nodeID) cannot take the internal event \"clean\" in state \"manageable\"."), httpStatus: 409)
    }
}

@Suite("Decide: inspection and steps")
struct NodeDeciderInspectionAndStepTests {
    static let inventory: JSONValue = ["cpu": ["count": 8], "memory": ["physical_mb": 16384]]
    static let properties: JSONValue = ["cpus": 8, "memory_mb": 16384]

    @Test("inspection results are recorded while inspecting or in inspect wait", arguments: [
        ProvisionState.inspecting, .inspectWait,
    ])
    func recordInspection(state: ProvisionState) {
        given(History.reaching(state))
            .when(.recordInspection(inventory: Self.inventory, properties: Self.properties))
            .then([.inspectionRecorded(inventory: Self.inventory, properties: Self.properties)])
    }

    @Test("inspection results outside inspection are refused (409)", arguments: [
        ProvisionState.enroll, .manageable, .inspectFailed, .available, .active,
    ])
    func recordInspectionRefused(state: ProvisionState) {
        given(History.reaching(state))
            .when(.recordInspection(inventory: Self.inventory, properties: Self.properties))
            .then(.invalidState("Node \(nodeID) is not being inspected (it is \(state.rawValue))."), httpStatus: 409)
    }

    @Test("steps starting and finishing are recorded as they are")
    func steps() {
        let step: JSONValue = ["interface": "deploy", "step": "write_image", "priority": 80]
        given(History.deploying).when(.startStep(phase: .deploy, step: step)).then([.stepStarted(phase: .deploy, step: step)])
        given(History.deploying)
            .when(.finishStep(phase: .deploy, step: step, error: nil))
            .then([.stepFinished(phase: .deploy, step: step, error: nil)])
        given(History.cleanWait)
            .when(.finishStep(phase: .clean, step: ["interface": "deploy", "step": "erase_devices"], error: "disk busy"))
            .then([.stepFinished(phase: .clean, step: ["interface": "deploy", "step": "erase_devices"], error: "disk busy")])
        given(History.reaching(.verifying))
            .when(.startStep(phase: .verify, step: ["interface": "management", "step": "clear_job_queue"]))
            .then([.stepStarted(phase: .verify, step: ["interface": "management", "step": "clear_job_queue"])])
    }
}
