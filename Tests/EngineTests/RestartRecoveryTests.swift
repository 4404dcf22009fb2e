import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// A conductor restarted in process on a data directory left by an interrupted run: operations
/// resume where the log says they were, a step not safe to repeat fails its operation instead,
/// pending power actions are carried out again except reboots, and wait states keep waiting on
/// their original clock.
///
/// Most interruptions are written straight into the stopped conductor's log, event by event as the
/// engine would have written them before it died; the projections catch up when it opens again.
@Suite("Restart recovery")
struct RestartRecoveryTests {
    // MARK: Writing an interrupted run into the log

    /// An event as the engine or a user would have appended it.
    struct Written {
        let event: NodeEvent
        let metadata: EventMetadata
        let id: UUID

        init(_ event: NodeEvent, _ metadata: EventMetadata, id: UUID = UUID()) {
            self.event = event
            self.metadata = metadata
            self.id = id
        }
    }

    /// Appends `events` to the node's stream in `directory`, which no conductor has open, with the
    /// stream's version expected; returns the stream's version after them.
    @discardableResult
    static func appendToLog(_ directory: String, node: UUID, _ events: [Written]) async throws -> UInt64 {
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { store.close() }
        let stream = NodeStream.id(node)
        let version = try store.version(ofStream: stream)
        let proposed = try events.map {
            ProposedEvent(eventID: $0.id, type: $0.event.typeName, schemaVersion: NodeEvent.schemaVersion,
                          metadata: $0.metadata, payload: try $0.event.encodedPayload())
        }
        let result = try await store.append(to: stream, expected: .exact(version), proposed)
        return try #require(result.streamVersions[stream])
    }

    /// The metadata of the engine's outcomes of the operation started by event `start`.
    static func conductor(causedBy start: UUID) -> EventMetadata {
        EventMetadata(actor: "conductor", correlationID: start, causationID: start)
    }

    /// The JSON of a step as the engine records it.
    static func step(_ interface: HardwareInterfaceKind, _ name: String, priority: Int) -> JSONValue {
        Step(interface, name, priority: priority).json
    }

    static let deployPriorities = [100, 80, 60, 40, 30, 20]

    /// A deploy of a node in `available` that finished `finished` deploy steps and started the next.
    static func interruptedDeploy(start: UUID, finished: Int) -> [Written] {
        let engine = conductor(causedBy: start)
        var events = [
            Written(.provisionStateChanged(change: ProvisionStateChange(from: .available, to: .deploying, event: .deploy, target: .active, verb: .active)),
                    requestMetadata(), id: start),
            Written(.networkPhaseChanged(from: nil, to: .provisioning), engine),
        ]
        for (index, name) in LifecyclePathTests.deploySteps.enumerated() where index <= finished {
            let json = step(.deploy, name, priority: deployPriorities[index])
            events.append(Written(.stepStarted(phase: .deploy, step: json), engine))
            guard index < finished else { break }
            events.append(Written(.stepFinished(phase: .deploy, step: json, error: nil), engine))
            if name == "switch_to_tenant_network" { events.append(Written(.networkPhaseChanged(from: .provisioning, to: .tenant), engine)) }
        }
        return events
    }

    // MARK: Interrupted steps

    @Test("the projections catch up with events appended while no conductor ran")
    func projectionsCatchUp() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await fixture.availableNode()
        fixture.stop()
        let version = try await Self.appendToLog(fixture.directory, node: node, Self.interruptedDeploy(start: UUID(), finished: 1))

        let reopened = try await Conductor.open(directory: fixture.directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly),
                                                drivers: .standard(), clock: ManualClock())
        defer { reopened.close() }
        let aggregate = try #require(try reopened.commands.aggregate(node))
        #expect(aggregate.version == version)
        #expect(aggregate.node.provisionState == .deploying)
        #expect(aggregate.node.targetProvisionState == .active)
        #expect(aggregate.node.deployStepName == "write_image")
        #expect(aggregate.networkPhase == .provisioning)
    }

    @Test("a deploy interrupted in a repeatable step runs that step again on restart and reaches active, each step finished once")
    func repeatableDeployStepResumes() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await fixture.availableNode()
        fixture.stop()
        let start = UUID()
        try await Self.appendToLog(fixture.directory, node: node, Self.interruptedDeploy(start: start, finished: 1))

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, fake: FakeBehaviour(journal: journal))
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        let deployed = try restarted.node(node)
        #expect(deployed.provisionState == .active)
        #expect(deployed.targetProvisionState == nil)
        #expect(deployed.lastError == nil)
        #expect(deployed.powerState == .on)
        let steps = try restarted.steps(node, phase: .deploy)
        #expect(steps.filter { $0.kind == .started }.map(\.name) == LifecyclePathTests.deploySteps)
        #expect(steps.filter { $0.kind == .finished }.map(\.name) == LifecyclePathTests.deploySteps)
        #expect(steps.allSatisfy { $0.error == nil })
        // The finished step is not run again; the interrupted one is, once.
        let actions = journal.actions(of: node)
        #expect(!actions.contains("deploy.deploy"))
        #expect(actions.filter { $0 == "deploy.write_image" }.count == 1)
        #expect(actions.filter { $0 == "deploy.boot_instance" }.count == 1)
        // The resumed work is still the outcome of the provision change that started it.
        let outcomes = try restarted.recorded(node).drop(while: { $0.envelope.eventID != start }).dropFirst()
        #expect(outcomes.allSatisfy { $0.envelope.metadata.causationID == start && $0.envelope.metadata.actor == "conductor" })
    }

    @Test("a deploy interrupted in boot_instance fails on restart, because booting the instance again is not safe")
    func unrepeatableDeployStepFails() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await fixture.availableNode()
        fixture.stop()
        let start = UUID()
        try await Self.appendToLog(fixture.directory, node: node, Self.interruptedDeploy(start: start, finished: 5))

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, fake: FakeBehaviour(journal: journal))
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        try expectFailed(restarted, node, from: .deploying, to: .deployFailed, mentioning: "not safe to repeat")
        let failed = try restarted.node(node)
        #expect(failed.lastError?.contains("deploy.boot_instance") == true)
        #expect(failed.lastError?.contains("interrupted by a restart") == true)
        #expect(failed.targetProvisionState == .active)
        #expect(try restarted.steps(node, phase: .deploy).last == StepRecord(kind: .finished, name: "boot_instance", error: "interrupted"))
        #expect(!journal.actions(of: node).contains("deploy.boot_instance"))
        #expect(!journal.actions(of: node).contains("power.reboot"))
        let failure = try #require(try restarted.recorded(node).last)
        #expect(failure.envelope.metadata.causationID == start)
    }

    @Test("automated cleaning interrupted in a repeatable step prepares again, runs the step again and reaches available")
    func repeatableCleanStepResumes() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await fixture.manageableNode()
        fixture.stop()
        let start = UUID()
        let engine = Self.conductor(causedBy: start)
        try await Self.appendToLog(fixture.directory, node: node, [
            Written(.provisionStateChanged(change: ProvisionStateChange(from: .manageable, to: .cleaning, event: .provide, target: .available, verb: .provide)),
                    requestMetadata(), id: start),
            Written(.networkPhaseChanged(from: nil, to: .cleaning), engine),
            Written(.stepStarted(phase: .clean, step: Self.step(.deploy, "erase_devices_metadata", priority: 99)), engine),
        ])

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, fake: FakeBehaviour(journal: journal))
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        let cleaned = try restarted.node(node)
        #expect(cleaned.provisionState == .available)
        #expect(!cleaned.maintenance)
        #expect(try restarted.steps(node, phase: .clean) == [
            StepRecord(kind: .started, name: "erase_devices_metadata", error: nil),
            StepRecord(kind: .finished, name: "erase_devices_metadata", error: nil),
        ])
        let actions = journal.actions(of: node)
        #expect(actions.filter { $0 == "deploy.prepare_cleaning" }.count == 1)
        #expect(actions.filter { $0 == "deploy.erase_devices_metadata" }.count == 1)
        #expect(try restarted.conductor.commands.aggregate(node)?.networkPhase == nil)
    }

    @Test("a manual clean interrupted in RAID create_configuration fails on restart, in maintenance with fault clean failure")
    func unrepeatableCleanStepFails() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await fixture.manageableNode()
        fixture.stop()
        let start = UUID()
        let engine = Self.conductor(causedBy: start)
        let requested: [JSONValue] = [["interface": "raid", "step": "create_configuration"]]
        try await Self.appendToLog(fixture.directory, node: node, [
            Written(.provisionStateChanged(change: ProvisionStateChange(from: .manageable, to: .cleaning, event: .clean, target: .manageable, verb: .clean,
                                                                        arguments: ProvisionArguments(cleanSteps: requested))),
                    requestMetadata(), id: start),
            Written(.networkPhaseChanged(from: nil, to: .cleaning), engine),
            Written(.stepStarted(phase: .clean, step: Self.step(.raid, "create_configuration", priority: 0)), engine),
        ])

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, fake: FakeBehaviour(journal: journal))
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        try expectFailed(restarted, node, from: .cleaning, to: .cleanFailed, mentioning: "not safe to repeat")
        let failed = try restarted.node(node)
        #expect(failed.lastError?.contains("raid.create_configuration") == true)
        #expect(failed.targetProvisionState == .manageable)
        #expect(failed.maintenance)
        #expect(failed.fault == "clean failure")
        #expect(!journal.actions(of: node).contains("raid.create_configuration"))
    }

    @Test("an operation without steps left in its -ing state is carried out again on restart", arguments: InterruptedOperation.allCases)
    func stepLessOperationResumes(operation: InterruptedOperation) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await operation.bringToStart(fixture)
        fixture.stop()
        try await Self.appendToLog(fixture.directory, node: node, [Written(.provisionStateChanged(change: operation.change), requestMetadata())])

        let restarted = try await ConductorFixture.start(directory: fixture.directory)
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        let resumed = try restarted.node(node)
        #expect(resumed.provisionState == operation.outcome)
        #expect(resumed.targetProvisionState == nil)
        #expect(resumed.lastError == nil)
    }

    @Test("a conductor stopped while a deploy step sleeps in the driver resumes that deploy when it starts again")
    func stoppedMidStepResumes() async throws {
        let delay = 5.0
        let fixture = try await ConductorFixture.start(configuration: .periodicWorkOnlyWhenRun)
        defer { fixture.remove() }
        let node = try await fixture.availableNode()
        try await fixture.setDriverInfo("fake_delay", .number(delay), on: node)
        try await fixture.conductor.commands.handle(.provision(verb: .active, arguments: ProvisionArguments()), node: node, metadata: requestMetadata())
        // Let the work run until it sleeps inside write_image, then stop the conductor under it.
        try await fixture.moveClock(by: .seconds(delay)) {
            try fixture.node(node).deployStepName == "write_image" && fixture.clock.sleeperCount > 0
        }
        fixture.stop()

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, configuration: .periodicWorkOnlyWhenRun,
                                                         fake: FakeBehaviour(journal: journal),
                                                         clock: ManualClock(start: fixture.clock.nowMicroseconds))
        defer { restarted.stop() }
        try await restarted.settleMovingClock(by: .seconds(delay))

        #expect(try restarted.node(node).provisionState == .active)
        let steps = try restarted.steps(node, phase: .deploy)
        #expect(steps.filter { $0.kind == .finished }.map(\.name) == LifecyclePathTests.deploySteps)
        #expect(steps.filter { $0.kind == .started }.map(\.name) == LifecyclePathTests.deploySteps)
        #expect(!journal.actions(of: node).contains("deploy.deploy"))
        #expect(journal.actions(of: node).filter { $0 == "deploy.write_image" }.count == 1)
    }

    // MARK: Pending power actions

    @Test("a pending power on or off is carried out after a restart", arguments: [PowerTarget.on, .off, .softOff])
    func pendingPowerActionCarriedOut(target: PowerTarget) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        // Powered the other way from the target.
        let node = try await (target.powersOff ? fixture.activeNode() : fixture.manageableNode())
        let before = try #require(try fixture.node(node).powerState)
        try #require(before != target.targetPowerState)
        fixture.stop()
        let request = UUID()
        try await Self.appendToLog(fixture.directory, node: node, [Written(.powerActionRequested(target: target, timeout: nil), requestMetadata(), id: request)])

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, fake: FakeBehaviour(journal: journal))
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        let powered = try restarted.node(node)
        #expect(powered.powerState == target.targetPowerState)
        #expect(powered.targetPowerState == nil)
        #expect(powered.lastError == nil)
        #expect(journal.actions(of: node).filter { $0 == "power.set_power_state" }.count == 1)
        let outcome = try #require(try restarted.recorded(node).last)
        #expect(outcome.event == .powerStateChanged(from: before, to: target.targetPowerState))
        #expect(outcome.envelope.metadata.causationID == request)
    }

    @Test("a pending reboot is not repeated after a restart: it is recorded as interrupted, with the power state the BMC reports",
          arguments: [PowerTarget.rebooting, .softRebooting])
    func pendingRebootNotRepeated(target: PowerTarget) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await fixture.activeNode()
        fixture.stop()
        let request = UUID()
        try await Self.appendToLog(fixture.directory, node: node, [Written(.powerActionRequested(target: target, timeout: nil), requestMetadata(), id: request)])

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, fake: FakeBehaviour(journal: journal))
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        let after = try restarted.node(node)
        #expect(after.targetPowerState == nil)
        #expect(after.powerState == .on)
        let lastError = try #require(after.lastError)
        #expect(lastError.contains("interrupted by a restart"))
        #expect(lastError.contains("not repeated"))
        let failure = try #require(try restarted.recorded(node).last { if case .powerActionFailed = $0.event { true } else { false } })
        #expect(failure.event == .powerActionFailed(target: target, error: lastError))
        #expect(failure.envelope.metadata.causationID == request)
        #expect(failure.envelope.metadata.actor == "conductor")
        #expect(!journal.actions(of: node).contains("power.reboot"))
        #expect(journal.actions(of: node).contains("power.get_power_state"))

        // Only the interrupted request is spared: a reboot asked for now is carried out.
        try await restarted.command(.requestPower(target: target, timeout: nil), node)
        #expect(journal.actions(of: node).filter { $0 == "power.reboot" }.count == 1)
        #expect(try restarted.node(node).lastError == nil)
    }

    // MARK: Wait states and idle nodes

    @Test("a node waiting for its agent keeps waiting across a restart, and times out from its original provision_updated_at")
    func waitStateSurvivesRestart() async throws {
        let first = try await ConductorFixture.start(configuration: .periodicWorkOnlyWhenRun)
        defer { first.remove() }
        let node = try await WaitingOperation.deploying.bringToWait(first)
        let since = try #require(try first.node(node).provisionUpdatedAt)
        first.stop()

        // The conductor comes back 1,000 s later.
        let clock = ManualClock(start: first.clock.nowMicroseconds + Duration.seconds(1000).microseconds)
        let second = try await ConductorFixture.start(directory: first.directory, configuration: .periodicWorkOnlyWhenRun, clock: clock)
        defer { second.stop() }
        try await second.conductor.settle()
        await second.conductor.runPeriodicChecks()
        try await second.conductor.settle()
        #expect(try second.node(node).provisionState == .waitCallBack)
        #expect(try second.node(node).provisionUpdatedAt == since)

        clock.advance(by: .seconds(799))
        await second.conductor.runPeriodicChecks()
        try await second.conductor.settle()
        #expect(try second.node(node).provisionState == .waitCallBack)

        clock.advance(by: .seconds(1))
        await second.conductor.runPeriodicChecks()
        try await second.conductor.settle()
        #expect(try second.node(node).provisionState == .deployFailed)
        #expect(try second.node(node).lastError?.contains("Timeout reached while waiting for callback") == true)
    }

    @Test("an agent calling back after a restart resumes the deploy where it stopped")
    func callBackAfterRestart() async throws {
        let journal = InMemoryActionJournal()
        let first = try await ConductorFixture.start(fake: FakeBehaviour(journal: journal))
        defer { first.remove() }
        let node = try await WaitingOperation.deploying.bringToWait(first)
        first.stop()

        let second = try await ConductorFixture.start(directory: first.directory, fake: FakeBehaviour(journal: journal))
        defer { second.stop() }
        try await second.conductor.settle()
        #expect(try second.node(node).provisionState == .waitCallBack)

        try await second.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await second.conductor.settle()
        #expect(try second.node(node).provisionState == .active)
        #expect(try second.finishedSteps(node, phase: .deploy) == LifecyclePathTests.deploySteps)
        #expect(journal.actions(of: node).filter { $0 == "deploy.deploy" }.count == 1)
    }

    @Test("a restart with nothing interrupted appends nothing and does nothing to the hardware")
    func idleRestart() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let active = try await fixture.activeNode()
        let manageable = try await fixture.manageableNode()
        let failed = try await fixture.availableNode()
        try await fixture.setDriverInfo("fake_fail", "deploy.write_image", on: failed)
        try await fixture.provision(.active, failed)
        try #require(try fixture.node(failed).provisionState == .deployFailed)
        let head = try fixture.conductor.store.currentHead().position
        fixture.stop()

        let journal = InMemoryActionJournal()
        let restarted = try await ConductorFixture.start(directory: fixture.directory, fake: FakeBehaviour(journal: journal))
        defer { restarted.stop() }
        try await restarted.conductor.settle()

        #expect(try restarted.conductor.store.currentHead().position == head)
        #expect(journal.count == 0)
        #expect(try restarted.node(active).provisionState == .active)
        #expect(try restarted.node(manageable).provisionState == .manageable)
        #expect(try restarted.node(failed).provisionState == .deployFailed)
    }
}

/// An operation without steps, interrupted right after the provision change that started it.
enum InterruptedOperation: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case verifying, inspecting, adopting, deleting, rescuing, unrescuing

    var testDescription: String { rawValue }

    /// The provision change that started it.
    var change: ProvisionStateChange {
        let (from, verb): (ProvisionState, ProvisionVerb) = switch self {
        case .verifying: (.enroll, .manage)
        case .inspecting: (.manageable, .inspect)
        case .adopting: (.manageable, .adopt)
        case .deleting: (.active, .deleted)
        case .rescuing: (.active, .rescue)
        case .unrescuing: (.rescue, .unrescue)
        }
        let to = ProvisionStateMachine.next(from: from, on: verb.event)!
        return ProvisionStateChange(from: from, to: to, event: verb.event,
                                    target: ProvisionStateMachine.target(entering: to, previousTarget: nil), verb: verb)
    }

    /// Where it ends once carried out.
    var outcome: ProvisionState {
        switch self {
        case .verifying, .inspecting: .manageable
        case .adopting, .unrescuing: .active
        case .deleting: .available
        case .rescuing: .rescue
        }
    }

    /// Enrolls a node and brings it to the state the operation starts from.
    func bringToStart(_ fixture: ConductorFixture) async throws -> UUID {
        switch change.from {
        case .enroll: return try await fixture.enroll()
        case .manageable: return try await fixture.manageableNode()
        case .active: return try await fixture.activeNode()
        default:
            let node = try await fixture.activeNode()
            try await fixture.provision(.rescue, node, ProvisionArguments(rescuePassword: "hunter2"))
            return node
        }
    }
}
