import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// Every path of the provision state machine that the engine drives on fake hardware: manual
/// cleaning, adoption, agent call-backs, aborts, callback timeouts, failures at each step, the
/// `ramdisk` deploy interface, and what the engine's events say about their cause.
@Suite("Lifecycle paths on fake hardware")
struct LifecyclePathTests {
    static let deploySteps = ["deploy", "write_image", "prepare_instance_boot", "tear_down_agent", "switch_to_tenant_network", "boot_instance"]

    // MARK: Manual cleaning

    @Test("a manual clean runs the requested steps in the order given and returns the node to manageable")
    func manualClean() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        let steps: [JSONValue] = [
            ["interface": "deploy", "step": "erase_devices"],
            ["interface": "bios", "step": "apply_configuration", "args": ["settings": [["name": "LogicalProc", "value": "Enabled"]]]],
            ["interface": "raid", "step": "delete_configuration"],
        ]
        try await fixture.provision(.clean, node, ProvisionArguments(cleanSteps: steps))

        let cleaned = try fixture.node(node)
        #expect(cleaned.provisionState == .manageable)
        #expect(cleaned.targetProvisionState == nil)
        #expect(cleaned.cleanStep == .emptyObject)
        #expect(cleaned.lastError == nil)
        #expect(!cleaned.maintenance)
        #expect(try fixture.steps(node, phase: .clean) == [
            StepRecord(kind: .started, name: "erase_devices", error: nil), StepRecord(kind: .finished, name: "erase_devices", error: nil),
            StepRecord(kind: .started, name: "apply_configuration", error: nil), StepRecord(kind: .finished, name: "apply_configuration", error: nil),
            StepRecord(kind: .started, name: "delete_configuration", error: nil), StepRecord(kind: .finished, name: "delete_configuration", error: nil),
        ])
        // The requested arguments travel with the step.
        let bios = try fixture.history(node).compactMap { event -> JSONValue? in
            if case .stepStarted(.clean, let step) = event, step["step"] == "apply_configuration" { return step["args"] }
            return nil
        }
        #expect(bios == [["settings": [["name": "LogicalProc", "value": "Enabled"]]]])
        // Cleaning went through the manual path: cleaning with target manageable, ended by `manage`.
        let changes = try fixture.provisionChanges(node).suffix(2)
        #expect(changes.map(\.to) == [.cleaning, .manageable])
        #expect(changes.first?.target == .manageable)
        #expect(changes.last?.event == .manage)
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == nil)
    }

    @Test("a manual clean naming a step the node does not offer fails cleaning before any step runs")
    func manualCleanUnknownStep() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.provision(.clean, node, ProvisionArguments(cleanSteps: [["interface": "deploy", "step": "polish_chassis"]]))

        let failed = try fixture.node(node)
        #expect(failed.provisionState == .cleanFailed)
        #expect(failed.targetProvisionState == .manageable)
        #expect(failed.lastError?.contains("polish_chassis") == true)
        #expect(failed.lastError?.hasPrefix("Cannot clean node \(node.lowercased)") == true)
        #expect(try fixture.steps(node, phase: .clean).isEmpty)
        let failure = try #require(try fixture.provisionChanges(node).last)
        #expect(failure.from == .cleaning && failure.to == .cleanFailed && failure.event == .fail)
        #expect(failure.error == failed.lastError)

        // `manage` is the way out of clean failed.
        try await fixture.provision(.manage, node)
        #expect(try fixture.node(node).provisionState == .manageable)
    }

    @Test("a manual clean refused before any step ran leaves the node out of maintenance, as Ironic does")
    func manualCleanUnknownStepNoMaintenance() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.provision(.clean, node, ProvisionArguments(cleanSteps: [["interface": "deploy", "step": "polish_chassis"]]))
        let failed = try fixture.node(node)
        #expect(failed.provisionState == .cleanFailed)
        // Ironic's cleaning_error_handler sets maintenance (fault `clean failure`) only if
        // `clean_step` is set, i.e. a step was running; here none was ever started.
        #expect(!failed.maintenance)
        #expect(failed.fault == nil)
    }

    // MARK: Adoption

    @Test("adopting a manageable node takes over its instance and makes it active")
    func adopt() async throws {
        let journal = InMemoryActionJournal()
        let fixture = try await ConductorFixture.start(fake: FakeBehaviour(journal: journal))
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.provision(.adopt, node)

        let adopted = try fixture.node(node)
        #expect(adopted.provisionState == .active)
        #expect(adopted.targetProvisionState == nil)
        #expect(adopted.lastError == nil)
        #expect(try fixture.provisionChanges(node).suffix(2).map(\.to) == [.adopting, .active])
        #expect(journal.actions(of: node).filter { $0 == "deploy.take_over" }.count == 1)
        // Nothing is written or booted: adoption deploys nothing.
        #expect(try fixture.steps(node, phase: .deploy).isEmpty)
        #expect(!journal.actions(of: node).contains("power.reboot"))
    }

    // MARK: Agent call-backs

    @Test("a deploy handed to the agent waits in wait call-back, and its call-back finishes every deploy step exactly once")
    func deployWaitsForAgent() async throws {
        let journal = InMemoryActionJournal()
        let fixture = try await ConductorFixture.start(fake: FakeBehaviour(journal: journal))
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode(driverInfo: ["fake_wait": "deploy.deploy"])
        try await fixture.provision(.active, node)

        let waiting = try fixture.node(node)
        #expect(waiting.provisionState == .waitCallBack)
        #expect(waiting.targetProvisionState == .active)
        #expect(waiting.deployStepName == "deploy")
        #expect(try fixture.steps(node, phase: .deploy) == [StepRecord(kind: .started, name: "deploy", error: nil)])

        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()

        let deployed = try fixture.node(node)
        #expect(deployed.provisionState == .active)
        #expect(deployed.targetProvisionState == nil)
        #expect(deployed.deployStep == .emptyObject)
        #expect(deployed.powerState == .on)
        #expect(try fixture.finishedSteps(node, phase: .deploy) == Self.deploySteps)
        let started = try fixture.steps(node, phase: .deploy).filter { $0.kind == .started }.map(\.name)
        #expect(started == Self.deploySteps)
        #expect(try fixture.steps(node, phase: .deploy).allSatisfy { $0.error == nil })
        // The agent did the handed-over step: the driver ran it once, before the wait.
        #expect(journal.actions(of: node).filter { $0 == "deploy.deploy" }.count == 1)
        let changes = try fixture.provisionChanges(node).suffix(4)
        #expect(changes.map(\.to) == [.deploying, .waitCallBack, .deploying, .active])
        #expect(changes.map(\.event) == [.deploy, .wait, .resume, .done])
    }

    @Test("cleaning handed to the agent waits in clean wait, and its call-back finishes cleaning to available")
    func cleanWaitsForAgent() async throws {
        let journal = InMemoryActionJournal()
        let fixture = try await ConductorFixture.start(fake: FakeBehaviour(journal: journal))
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode(driverInfo: ["fake_wait": "deploy.erase_devices_metadata"])
        try await fixture.provision(.provide, node)

        let waiting = try fixture.node(node)
        #expect(waiting.provisionState == .cleanWait)
        #expect(waiting.targetProvisionState == .available)
        #expect(waiting.cleanStepName == "erase_devices_metadata")

        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()

        let cleaned = try fixture.node(node)
        #expect(cleaned.provisionState == .available)
        #expect(cleaned.targetProvisionState == nil)
        #expect(cleaned.cleanStep == .emptyObject)
        #expect(!cleaned.maintenance)
        #expect(try fixture.steps(node, phase: .clean) == [
            StepRecord(kind: .started, name: "erase_devices_metadata", error: nil),
            StepRecord(kind: .finished, name: "erase_devices_metadata", error: nil),
        ])
        // The ramdisk was prepared once, before the wait, and torn down once after the call-back.
        #expect(journal.actions(of: node).filter { $0 == "deploy.prepare_cleaning" }.count == 1)
        #expect(journal.actions(of: node).filter { $0 == "deploy.tear_down_cleaning" }.count == 1)
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == nil)
    }

    @Test("a rescue handed to the agent waits in rescue wait, and its call-back puts the node in rescue")
    func rescueWaitsForAgent() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode(driverInfo: ["fake_wait": "rescue.rescue"])
        try await fixture.provision(.rescue, node, ProvisionArguments(rescuePassword: "hunter2"))

        let waiting = try fixture.node(node)
        #expect(waiting.provisionState == .rescueWait)
        #expect(waiting.targetProvisionState == .rescue)

        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()

        let rescued = try fixture.node(node)
        #expect(rescued.provisionState == .rescue)
        #expect(rescued.targetProvisionState == nil)
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == .rescuing)
        #expect(try fixture.provisionChanges(node).suffix(4).map(\.to) == [.rescuing, .rescueWait, .rescuing, .rescue])

        try await fixture.provision(.unrescue, node)
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == .tenant)
    }

    @Test("an inspection handed to the ramdisk waits in inspect wait, and the inventory it posts back sets the node's properties")
    func inspectWaitsForAgent() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode(driverInfo: ["fake_wait": "inspect.inspect_hardware"])
        try await fixture.provision(.inspect, node)

        let waiting = try fixture.node(node)
        #expect(waiting.provisionState == .inspectWait)
        #expect(waiting.targetProvisionState == .manageable)
        #expect(waiting.inspectionStartedAt != nil)
        #expect(waiting.inspectionFinishedAt == nil)

        let inventory: JSONValue = [
            "cpu": ["count": 64, "architecture": "aarch64"],
            "memory": ["physical_mb": 262_144],
            "disks": [["name": "/dev/nvme0n1", "size": 1_000_204_886_016], ["name": "/dev/nvme1n1", "size": 480_103_981_056]],
        ]
        try await fixture.conductor.agentCallBack(node, inventory: inventory, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()

        let inspected = try fixture.node(node)
        #expect(inspected.provisionState == .manageable)
        #expect(inspected.targetProvisionState == nil)
        #expect(inspected.properties["cpus"] == 64)
        #expect(inspected.properties["cpu_arch"] == "aarch64")
        #expect(inspected.properties["memory_mb"] == 262_144)
        // The first disk, in whole GiB, less one: 1000204886016 B is 931.5 GiB.
        #expect(inspected.properties["local_gb"] == 930)
        #expect(inspected.inspectionFinishedAt != nil)
        #expect(try fixture.conductor.commands.aggregate(node)?.inventory == inventory)
    }

    @Test("an inspection call-back without an inventory is refused and the node keeps waiting")
    func inspectCallBackNeedsInventory() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode(driverInfo: ["fake_wait": "inspect.inspect_hardware"])
        try await fixture.provision(.inspect, node)
        await #expect(throws: DomainError.missingParameter("inventory")) {
            try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        }
        #expect(try fixture.node(node).provisionState == .inspectWait)
    }

    @Test("a call-back for a node that is not waiting is refused", arguments: [ProvisionState.manageable, .active])
    func callBackWhenNotWaiting(state: ProvisionState) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.node(in: state)
        let before = try fixture.history(node).count
        let error = await #expect(throws: DomainError.self) {
            try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        }
        guard case .invalidState(let message)? = error else {
            Issue.record("Expected InvalidState, got \(String(describing: error))")
            return
        }
        #expect(message.contains(state.rawValue))
        try await fixture.conductor.settle()
        #expect(try fixture.history(node).count == before)
        #expect(try fixture.node(node).provisionState == state)
    }

    // MARK: Aborts

    @Test("abort in a wait state fails the operation waited for", arguments: WaitingOperation.allCases)
    func abortWhileWaiting(operation: WaitingOperation) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await operation.bringToWait(fixture)
        try #require(try fixture.node(node).provisionState == operation.waitState)

        try await fixture.provision(.abort, node)

        let aborted = try fixture.node(node)
        #expect(aborted.provisionState == operation.failedState)
        #expect(aborted.targetProvisionState == operation.failedState.defaultTarget)
        let last = try #require(try fixture.provisionChanges(node).last)
        #expect(last.from == operation.waitState)
        #expect(last.event == .abort)
        #expect(last.verb == .abort)
        // Nothing is left for the engine to do: a call-back now is refused.
        await #expect(throws: DomainError.self) {
            try await fixture.conductor.agentCallBack(node, inventory: [:], metadata: requestMetadata(actor: "agent"))
        }
    }

    @Test("abort is refused while nothing is being waited for", arguments: [ProvisionState.manageable, .available, .active])
    func abortWhenNotWaiting(state: ProvisionState) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.node(in: state)
        await #expect(throws: DomainError.invalidStateRequested(action: "abort", node: node, state: state)) {
            try await fixture.provision(.abort, node)
        }
        #expect(try fixture.node(node).provisionState == state)
    }

    // MARK: Callback timeouts

    @Test("a wait state fails once its callback timeout has passed since provision_updated_at, and not a second before",
          arguments: WaitingOperation.allCases)
    func callbackTimeout(operation: WaitingOperation) async throws {
        let fixture = try await ConductorFixture.start(configuration: .periodicWorkOnlyWhenRun)
        defer { fixture.stop(); fixture.remove() }
        let node = try await operation.bringToWait(fixture)
        let waiting = try fixture.node(node)
        try #require(waiting.provisionState == operation.waitState)
        #expect(waiting.provisionUpdatedAt == fixture.clock.nowMicroseconds)

        fixture.clock.advance(by: .seconds(1799))
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == operation.waitState)
        #expect(try fixture.node(node).lastError == nil)

        fixture.clock.advance(by: .seconds(1))
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        let failed = try fixture.node(node)
        #expect(failed.provisionState == operation.failedState)
        #expect(failed.lastError?.contains("Timeout reached while waiting for callback") == true)
        #expect(failed.lastError?.contains(node.lowercased) == true)
        let last = try #require(try fixture.provisionChanges(node).last)
        #expect(last.from == operation.waitState && last.event == .fail)
        // A timed-out cleaning puts the node in maintenance; deploy, inspection and rescue do not.
        switch operation {
        case .cleaning:
            #expect(failed.maintenance)
            #expect(failed.fault == "clean failure")
        case .deploying, .inspecting, .rescuing:
            #expect(!failed.maintenance)
            #expect(failed.fault == nil)
        case .servicing: break
        }

        // Checked again later, the failed node is left alone.
        let events = try fixture.history(node).count
        fixture.clock.advance(by: .seconds(3600))
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        #expect(try fixture.history(node).count == events)
    }

    @Test("a node in maintenance is not timed out; once out of maintenance it is")
    func callbackTimeoutSkipsMaintenance() async throws {
        let fixture = try await ConductorFixture.start(configuration: .periodicWorkOnlyWhenRun)
        defer { fixture.stop(); fixture.remove() }
        let node = try await WaitingOperation.deploying.bringToWait(fixture)
        try await fixture.command(.setMaintenance(reason: "looking at the agent", fault: nil), node)

        fixture.clock.advance(by: .seconds(7200))
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .waitCallBack)

        try await fixture.command(.clearMaintenance, node)
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        let failed = try fixture.node(node)
        #expect(failed.provisionState == .deployFailed)
        #expect(failed.lastError?.contains("Timeout reached while waiting for callback") == true)
    }

    @Test("a deploy resumed by its agent before the timeout is not failed by a later check")
    func callBackBeforeTimeout() async throws {
        let fixture = try await ConductorFixture.start(configuration: .periodicWorkOnlyWhenRun)
        defer { fixture.stop(); fixture.remove() }
        let node = try await WaitingOperation.deploying.bringToWait(fixture)
        fixture.clock.advance(by: .seconds(1000))
        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .active)

        fixture.clock.advance(by: .seconds(3600))
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.node(node).lastError == nil)
    }

    @Test("the conductor's own periodic check times out a wait state as its clock passes the timeout")
    func periodicLoopTimesOut() async throws {
        var configuration = EngineConfiguration.periodicWorkOnlyWhenRun
        configuration.checkProvisionStateInterval = .seconds(60)
        let fixture = try await ConductorFixture.start(configuration: configuration)
        defer { fixture.stop(); fixture.remove() }
        let node = try await WaitingOperation.deploying.bringToWait(fixture)

        // One sleeper: the provision-state check, every 60 s.
        try await fixture.eventually { fixture.clock.sleeperCount == 1 }
        fixture.clock.advance(by: .seconds(1800))
        try await fixture.eventually { try fixture.node(node).provisionState != .waitCallBack }
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .deployFailed)
        #expect(try fixture.node(node).lastError?.contains("Timeout reached while waiting for callback") == true)
    }

    // MARK: Failures at each step

    @Test("a BMC that cannot be read fails verification and returns the node to enroll")
    func verifyFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.enroll(driverInfo: ["fake_fail": "power.get_power_state"])
        try await fixture.provision(.manage, node)
        try expectFailed(fixture, node, from: .verifying, to: .enroll, mentioning: "Fake failure injected at power.get_power_state")
        #expect(try fixture.node(node).targetProvisionState == nil)

        // With the BMC answering again, manage goes through.
        try await fixture.removeDriverInfo("fake_fail", from: node)
        try await fixture.provision(.manage, node)
        #expect(try fixture.node(node).provisionState == .manageable)
        #expect(try fixture.node(node).lastError == nil)
    }

    @Test("a failing inspection ends in inspect failed")
    func inspectFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.setDriverInfo("fake_fail", "inspect.inspect_hardware", on: node)
        try await fixture.provision(.inspect, node)
        try expectFailed(fixture, node, from: .inspecting, to: .inspectFailed, mentioning: "Fake failure injected at inspect.inspect_hardware")
        #expect(try fixture.node(node).targetProvisionState == .manageable)
        #expect(try fixture.node(node).inspectionFinishedAt == nil)
    }

    @Test("a failing automated clean step ends in clean failed, in maintenance with fault clean failure")
    func cleanFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.setDriverInfo("fake_fail", "deploy.erase_devices_metadata", on: node)
        try await fixture.provision(.provide, node)
        try expectFailed(fixture, node, from: .cleaning, to: .cleanFailed, mentioning: "Fake failure injected at deploy.erase_devices_metadata")
        let failed = try fixture.node(node)
        #expect(failed.targetProvisionState == .available)
        #expect(failed.maintenance)
        #expect(failed.fault == "clean failure")
        #expect(failed.cleanStep == .emptyObject)
        #expect(try fixture.steps(node, phase: .clean) == [
            StepRecord(kind: .started, name: "erase_devices_metadata", error: nil),
            StepRecord(kind: .finished, name: "erase_devices_metadata", error: "Fake failure injected at deploy.erase_devices_metadata"),
        ])
    }

    @Test("a failing deploy step ends in deploy failed, with the step's own failure recorded and no later step started",
          arguments: LifecyclePathTests.deploySteps)
    func deployStepFailure(step: String) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode()
        try await fixture.setDriverInfo("fake_fail", .string("deploy.\(step)"), on: node)
        try await fixture.provision(.active, node)

        let injected = "Fake failure injected at deploy.\(step)"
        try expectFailed(fixture, node, from: .deploying, to: .deployFailed, mentioning: injected)
        let failed = try fixture.node(node)
        #expect(failed.targetProvisionState == .active)
        #expect(failed.deployStep == .emptyObject)
        #expect(failed.lastError?.contains("deploy.\(step)") == true)
        #expect(!failed.maintenance)

        let index = try #require(Self.deploySteps.firstIndex(of: step))
        var expected: [StepRecord] = []
        for done in Self.deploySteps[..<index] {
            expected += [StepRecord(kind: .started, name: done, error: nil), StepRecord(kind: .finished, name: done, error: nil)]
        }
        expected += [StepRecord(kind: .started, name: step, error: nil), StepRecord(kind: .finished, name: step, error: injected)]
        #expect(try fixture.steps(node, phase: .deploy) == expected)

        // Without the fault, deploying again from deploy failed reaches active.
        try await fixture.removeDriverInfo("fake_fail", from: node)
        try await fixture.provision(.active, node)
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.node(node).lastError == nil)
    }

    @Test("a failing tear-down on undeploy ends in error")
    func tearDownFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.setDriverInfo("fake_fail", "deploy.tear_down", on: node)
        try await fixture.provision(.deleted, node)
        try expectFailed(fixture, node, from: .deleting, to: .error, mentioning: "Fake failure injected at deploy.tear_down")
        #expect(try fixture.node(node).targetProvisionState == nil)
    }

    @Test("a failing rescue ends in rescue failed")
    func rescueFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.setDriverInfo("fake_fail", "rescue.rescue", on: node)
        try await fixture.provision(.rescue, node, ProvisionArguments(rescuePassword: "hunter2"))
        try expectFailed(fixture, node, from: .rescuing, to: .rescueFailed, mentioning: "Fake failure injected at rescue.rescue")
        #expect(try fixture.node(node).targetProvisionState == .rescue)
    }

    @Test("a failing unrescue ends in unrescue failed")
    func unrescueFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.provision(.rescue, node, ProvisionArguments(rescuePassword: "hunter2"))
        try #require(try fixture.node(node).provisionState == .rescue)
        try await fixture.setDriverInfo("fake_fail", "rescue.unrescue", on: node)
        try await fixture.provision(.unrescue, node)
        try expectFailed(fixture, node, from: .unrescuing, to: .unrescueFailed, mentioning: "Fake failure injected at rescue.unrescue")
        #expect(try fixture.node(node).targetProvisionState == .active)
    }

    @Test("a failing take-over ends in adopt failed")
    func adoptFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.setDriverInfo("fake_fail", "deploy.take_over", on: node)
        try await fixture.provision(.adopt, node)
        try expectFailed(fixture, node, from: .adopting, to: .adoptFailed, mentioning: "Fake failure injected at deploy.take_over")
        #expect(try fixture.node(node).targetProvisionState == .active)
    }

    @Test("fake_fail naming several actions fails at the first of them the node reaches")
    func failureListFailsAtFirstReached() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode()
        try await fixture.setDriverInfo("fake_fail", ["deploy.boot_instance", "deploy.write_image"], on: node)
        try await fixture.provision(.active, node)
        #expect(try fixture.node(node).provisionState == .deployFailed)
        #expect(try fixture.finishedSteps(node, phase: .deploy) == ["deploy", "write_image"])
    }

    // MARK: The ramdisk deploy interface

    @Test("a node with the ramdisk deploy interface deploys by booting only: prepare_instance_boot, switch_to_tenant_network, boot_instance")
    func ramdiskDeploy() async throws {
        let journal = InMemoryActionJournal()
        let fixture = try await ConductorFixture.start(fake: FakeBehaviour(journal: journal))
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode(fields: [
            "deploy_interface": "ramdisk",
            "instance_info": ["kernel": "http://127.0.0.1:8080/vmlinuz", "ramdisk": "http://127.0.0.1:8080/initrd"],
        ])
        #expect(try fixture.node(node).interface(.deploy) == "ramdisk")
        // The ramdisk interface has no clean steps: automated cleaning ran none.
        #expect(try fixture.steps(node, phase: .clean).isEmpty)

        try await fixture.provision(.active, node)
        let deployed = try fixture.node(node)
        #expect(deployed.provisionState == .active)
        #expect(deployed.powerState == .on)
        #expect(try fixture.finishedSteps(node, phase: .deploy) == ["prepare_instance_boot", "switch_to_tenant_network", "boot_instance"])
        #expect(try fixture.steps(node, phase: .deploy).allSatisfy { $0.error == nil })
        #expect(!journal.actions(of: node).contains("deploy.write_image"))
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == .tenant)
    }

    // MARK: Servicing

    @Test("servicing an active node runs the requested steps in order and returns it to active")
    func service() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        let steps: [JSONValue] = [
            ["interface": "bios", "step": "apply_configuration", "args": ["settings": [["name": "SriovGlobalEnable", "value": "Enabled"]]]],
            ["interface": "raid", "step": "delete_configuration"],
        ]
        try await fixture.provision(.service, node, ProvisionArguments(serviceSteps: steps))

        let serviced = try fixture.node(node)
        #expect(serviced.provisionState == .active)
        #expect(serviced.targetProvisionState == nil)
        #expect(serviced.serviceStep == .emptyObject)
        #expect(try fixture.steps(node, phase: .service) == [
            StepRecord(kind: .started, name: "apply_configuration", error: nil), StepRecord(kind: .finished, name: "apply_configuration", error: nil),
            StepRecord(kind: .started, name: "delete_configuration", error: nil), StepRecord(kind: .finished, name: "delete_configuration", error: nil),
        ])
        #expect(try fixture.provisionChanges(node).suffix(2).map(\.to) == [.servicing, .active])
    }

    @Test("servicing handed to the agent waits in service wait, and its call-back returns the node to active")
    func serviceWaitsForAgent() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await WaitingOperation.servicing.bringToWait(fixture)
        let waiting = try fixture.node(node)
        #expect(waiting.provisionState == .serviceWait)
        #expect(waiting.targetProvisionState == .active)
        #expect(waiting.serviceStep["step"] == "apply_configuration")

        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.finishedSteps(node, phase: .service) == ["apply_configuration"])
    }

    @Test("a failing service step ends in service failed, with the step's failure recorded")
    func serviceStepFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.setDriverInfo("fake_fail", "bios.apply_configuration", on: node)
        try await fixture.provision(.service, node, ProvisionArguments(serviceSteps: [["interface": "bios", "step": "apply_configuration"]]))
        try expectFailed(fixture, node, from: .servicing, to: .serviceFailed, mentioning: "Fake failure injected at bios.apply_configuration")
        #expect(try fixture.node(node).targetProvisionState == .active)
        #expect(try fixture.steps(node, phase: .service).last
            == StepRecord(kind: .finished, name: "apply_configuration", error: "Fake failure injected at bios.apply_configuration"))

        // `abort` from service failed returns the node to active.
        try await fixture.provision(.abort, node)
        #expect(try fixture.node(node).provisionState == .active)
    }

    @Test("a service step that fails while running puts the node in maintenance with fault service failure, as Ironic does")
    func serviceStepFailureMaintenance() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.setDriverInfo("fake_fail", "bios.apply_configuration", on: node)
        try await fixture.provision(.service, node, ProvisionArguments(serviceSteps: [["interface": "bios", "step": "apply_configuration"]]))
        let failed = try fixture.node(node)
        #expect(failed.provisionState == .serviceFailed)
        #expect(failed.maintenance)
        #expect(failed.fault == "service failure")
    }

    @Test("servicing naming a step the node does not offer ends in service failed")
    func serviceUnknownStep() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.provision(.service, node, ProvisionArguments(serviceSteps: [["interface": "deploy", "step": "write_image"]]))
        try expectFailed(fixture, node, from: .servicing, to: .serviceFailed, mentioning: "write_image")
        #expect(try fixture.steps(node, phase: .service).isEmpty)
    }

    // MARK: More deploy paths

    @Test("a deploy handed to the agent at two steps needs a call-back for each")
    func deployWaitsTwice() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode(driverInfo: ["fake_wait": ["deploy.deploy", "deploy.write_image"]])
        try await fixture.provision(.active, node)
        #expect(try fixture.node(node).deployStepName == "deploy")

        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .waitCallBack)
        #expect(try fixture.node(node).deployStepName == "write_image")
        #expect(try fixture.finishedSteps(node, phase: .deploy) == ["deploy"])

        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.finishedSteps(node, phase: .deploy) == Self.deploySteps)
    }

    @Test("user deploy_steps add an optional step at the priority given, ties going to the deploy interface first")
    func userDeploySteps() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode()
        let requested: [JSONValue] = [
            ["interface": "bios", "step": "apply_configuration", "priority": 90, "args": ["settings": []]],
            ["interface": "raid", "step": "delete_configuration", "priority": 80, "args": [:]],
        ]
        try await fixture.provision(.active, node, ProvisionArguments(deploySteps: requested))
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.finishedSteps(node, phase: .deploy) == [
            "deploy", "apply_configuration", "write_image", "delete_configuration",
            "prepare_instance_boot", "tear_down_agent", "switch_to_tenant_network", "boot_instance",
        ])
    }

    @Test("undeploying a node waiting in wait call-back tears it down and cleans it to available")
    func undeployWhileWaiting() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await WaitingOperation.deploying.bringToWait(fixture)
        try await fixture.provision(.deleted, node)
        let undeployed = try fixture.node(node)
        #expect(undeployed.provisionState == .available)
        #expect(undeployed.deployStep == .emptyObject)
        #expect(undeployed.powerState == .off)
        #expect(try fixture.provisionChanges(node).suffix(3).map(\.to) == [.deleting, .cleaning, .available])
    }

    // MARK: Causation

    @Test("every event of an operation is the conductor's, caused by the provision change that started it")
    func operationCausation() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode()
        try await fixture.provision(.active, node)

        let recorded = try fixture.recorded(node)
        let startIndex = try #require(recorded.lastIndex { entry in
            if case .provisionStateChanged(let change) = entry.event { return change.to == .deploying && change.verb == .active }
            return false
        })
        let start = recorded[startIndex].envelope
        #expect(start.metadata.actor == "admin")
        let outcomes = recorded[(startIndex + 1)...]
        #expect(outcomes.count >= 2 * Self.deploySteps.count + 1)
        for (envelope, event) in outcomes {
            #expect(envelope.metadata.actor == "conductor", "\(event)")
            #expect(envelope.metadata.causationID == start.eventID, "\(event)")
            #expect(envelope.metadata.correlationID == start.eventID, "\(event)")
        }
        if case .provisionStateChanged(let change)? = outcomes.last?.event {
            #expect(change.to == .active)
        } else {
            Issue.record("The operation does not end with its provision change")
        }
    }

    @Test("after an agent's call-back the engine's events are still caused by the provision change that started the deploy")
    func causationAcrossCallBack() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode(driverInfo: ["fake_wait": "deploy.deploy"])
        try await fixture.provision(.active, node)
        try await fixture.conductor.agentCallBack(node, metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).provisionState == .active)

        let recorded = try fixture.recorded(node)
        let start = try #require(recorded.last { entry in
            if case .provisionStateChanged(let change) = entry.event { return change.verb == .active }
            return false
        }?.envelope)
        let resumeIndex = try #require(recorded.lastIndex { entry in
            if case .provisionStateChanged(let change) = entry.event { return change.event == .resume }
            return false
        })
        #expect(recorded[resumeIndex].envelope.metadata.actor == "agent")
        let afterResume = recorded[(resumeIndex + 1)...]
        #expect(!afterResume.isEmpty)
        for (envelope, event) in afterResume {
            #expect(envelope.metadata.actor == "conductor", "\(event)")
            #expect(envelope.metadata.causationID == start.eventID, "\(event)")
        }
    }
}

/// An operation that hands over to an agent, and the wait state it then rests in.
enum WaitingOperation: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case deploying, cleaning, inspecting, rescuing, servicing

    var testDescription: String { rawValue }

    var waitState: ProvisionState {
        switch self {
        case .deploying: .waitCallBack
        case .cleaning: .cleanWait
        case .inspecting: .inspectWait
        case .rescuing: .rescueWait
        case .servicing: .serviceWait
        }
    }

    var failedState: ProvisionState {
        switch self {
        case .deploying: .deployFailed
        case .cleaning: .cleanFailed
        case .inspecting: .inspectFailed
        case .rescuing: .rescueFailed
        case .servicing: .serviceFailed
        }
    }

    /// The `fake_wait` action that hands this operation over.
    var waitingAction: JSONValue {
        switch self {
        case .deploying: "deploy.deploy"
        case .cleaning: "deploy.erase_devices_metadata"
        case .inspecting: "inspect.inspect_hardware"
        case .rescuing: "rescue.rescue"
        case .servicing: "bios.apply_configuration"
        }
    }

    /// Enrolls a node and runs it up to this operation's wait state.
    func bringToWait(_ fixture: ConductorFixture) async throws -> UUID {
        let info: JSONValue = ["fake_wait": waitingAction]
        switch self {
        case .cleaning:
            let node = try await fixture.manageableNode(driverInfo: info)
            try await fixture.provision(.provide, node, ProvisionArguments())
            return node
        case .inspecting:
            let node = try await fixture.manageableNode(driverInfo: info)
            try await fixture.provision(.inspect, node, ProvisionArguments())
            return node
        case .deploying:
            let node = try await fixture.availableNode(driverInfo: info)
            try await fixture.provision(.active, node, ProvisionArguments())
            return node
        case .rescuing:
            let node = try await fixture.activeNode(driverInfo: info)
            try await fixture.provision(.rescue, node, ProvisionArguments(rescuePassword: "hunter2"))
            return node
        case .servicing:
            let node = try await fixture.activeNode(driverInfo: info)
            try await fixture.provision(.service, node, ProvisionArguments(serviceSteps: [["interface": "bios", "step": "apply_configuration"]]))
            return node
        }
    }
}

/// Checks that the node's last operation failed from `from` to `to`, with `last_error` set to the
/// failure and the failing transition in its history carrying the same error.
func expectFailed(_ fixture: ConductorFixture, _ node: UUID, from: ProvisionState, to: ProvisionState,
                                             mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let failed = try fixture.node(node)
    #expect(failed.provisionState == to, sourceLocation: sourceLocation)
    let lastError = try #require(failed.lastError, sourceLocation: sourceLocation)
    #expect(lastError.contains(text), "last_error: \(lastError)", sourceLocation: sourceLocation)
    let failure = try #require(try fixture.provisionChanges(node).last, sourceLocation: sourceLocation)
    #expect(failure.from == from && failure.to == to && failure.event == .fail, "\(failure)", sourceLocation: sourceLocation)
    #expect(failure.error == lastError, sourceLocation: sourceLocation)
}
