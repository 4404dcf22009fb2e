import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// Power actions carried out by the engine, the periodic power-state sync with its maintenance on
/// repeated failures and recovery, and the boot device.
@Suite("Power and management through the engine")
struct PowerTests {
    // MARK: Power actions

    @Test("a power action sets power_state to its outcome and clears target_power_state", arguments: PowerTarget.allCases)
    func powerAction(target: PowerTarget) async throws {
        let journal = InMemoryActionJournal()
        let fixture = try await ConductorFixture.start(fake: FakeBehaviour(journal: journal))
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try #require(try fixture.node(node).powerState == .off)

        try await fixture.command(.requestPower(target: target, timeout: nil), node)

        let powered = try fixture.node(node)
        #expect(powered.powerState == target.targetPowerState)
        #expect(powered.targetPowerState == nil)
        #expect(powered.lastError == nil)
        #expect(fixture.fake.hardwarePower(of: node) == target.targetPowerState)
        let action = target == .rebooting || target == .softRebooting ? "power.reboot" : "power.set_power_state"
        #expect(journal.actions(of: node).last == action)
        let tail = try fixture.history(node).suffix(2)
        #expect(Array(tail) == [.powerActionRequested(target: target, timeout: nil),
                                .powerStateChanged(from: .off, to: target.targetPowerState)])
    }

    @Test("while a power action runs its target shows, and its outcome is the conductor's, caused by the request")
    func powerActionCausation() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        let outcome = try await fixture.conductor.commands.handle(.requestPower(target: .on, timeout: nil), node: node, metadata: requestMetadata())
        #expect(outcome.node?.node.targetPowerState == .on)
        try await fixture.conductor.settle()

        let recorded = try fixture.recorded(node)
        let request = try #require(recorded.last { if case .powerActionRequested = $0.event { true } else { false } })
        let result = try #require(recorded.last)
        #expect(result.event == .powerStateChanged(from: .off, to: .on))
        #expect(result.envelope.metadata.actor == "conductor")
        #expect(result.envelope.metadata.causationID == request.envelope.eventID)
        #expect(request.envelope.metadata.actor == "admin")
    }

    @Test("a failing power action leaves power_state as it was, clears the target and records why")
    func powerActionFailure() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.setDriverInfo("fake_fail", "power.set_power_state", on: node)

        try await fixture.command(.requestPower(target: .on, timeout: nil), node)

        let failed = try fixture.node(node)
        #expect(failed.powerState == .off)
        #expect(failed.targetPowerState == nil)
        let lastError = try #require(failed.lastError)
        #expect(lastError.contains("Failed to change power state to 'power on'"))
        #expect(lastError.contains("Fake failure injected at power.set_power_state"))
        #expect(try fixture.history(node).last == .powerActionFailed(target: .on, error: lastError))
        #expect(fixture.fake.hardwarePower(of: node) != .on)

        // The next request clears last_error as it starts, and succeeds without the fault.
        try await fixture.removeDriverInfo("fake_fail", from: node)
        try await fixture.command(.requestPower(target: .on, timeout: nil), node)
        #expect(try fixture.node(node).powerState == .on)
        #expect(try fixture.node(node).lastError == nil)
    }

    @Test("power actions are refused while the node is cleaning or waiting in clean wait")
    func powerRefusedInCleanWait() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await WaitingOperation.cleaning.bringToWait(fixture)
        await #expect(throws: DomainError.invalidStateRequested(action: "power on", node: node, state: .cleanWait)) {
            try await fixture.command(.requestPower(target: .on, timeout: nil), node)
        }
        #expect(try fixture.node(node).targetPowerState == nil)
    }

    // MARK: Power-state sync

    @Test("the power sync forces hardware that drifted back to the recorded state")
    func syncForcesHardwareBack() async throws {
        let journal = InMemoryActionJournal()
        let fixture = try await ConductorFixture.start(fake: FakeBehaviour(journal: journal))
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try #require(try fixture.node(node).powerState == .on)
        let events = try fixture.history(node).count

        fixture.fake.setHardwarePower(.off, of: node)
        let before = journal.count
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()

        #expect(fixture.fake.hardwarePower(of: node) == .on)
        #expect(try fixture.node(node).powerState == .on)
        #expect(journal.actions(of: node, after: before).contains("power.set_power_state"))
        #expect(try fixture.history(node).count == events)
    }

    @Test("with force_power_state_during_sync off, the power sync records what the hardware says")
    func syncRecordsHardwareState() async throws {
        var configuration = EngineConfiguration()
        configuration.forcePowerStateDuringSync = false
        let fixture = try await ConductorFixture.start(configuration: configuration)
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()

        fixture.fake.setHardwarePower(.off, of: node)
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()

        #expect(fixture.fake.hardwarePower(of: node) == .off)
        #expect(try fixture.node(node).powerState == .off)
        #expect(try fixture.history(node).last == .powerStateChanged(from: .on, to: .off))
        let last = try #require(try fixture.recorded(node).last)
        #expect(last.envelope.metadata.actor == "conductor")
    }

    @Test("the power sync leaves a node in maintenance alone")
    func syncSkipsMaintenance() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.command(.setMaintenance(reason: "replacing a DIMM", fault: nil), node)

        fixture.fake.setHardwarePower(.off, of: node)
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()

        #expect(fixture.fake.hardwarePower(of: node) == .off)
        #expect(try fixture.node(node).powerState == .on)
    }

    @Test("a node whose power cannot be read on three syncs in a row goes to maintenance with fault power failure")
    func syncFailuresPutNodeInMaintenance() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        #expect(fixture.conductor.configuration.powerStateSyncMaxRetries == 3)
        let node = try await fixture.manageableNode()
        try await fixture.setDriverInfo("fake_fail", "power.get_power_state", on: node)

        for _ in 1...2 {
            await fixture.conductor.runPeriodicChecks()
            try await fixture.conductor.settle()
            #expect(try !fixture.node(node).maintenance)
            #expect(try fixture.node(node).powerState == .off)
        }
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()

        let failed = try fixture.node(node)
        #expect(failed.maintenance)
        #expect(failed.fault == "power failure")
        #expect(failed.powerState == nil)
        #expect(failed.maintenanceReason?.contains("max retries exceeded") == true)
        #expect(failed.maintenanceReason?.contains("Fake failure injected at power.get_power_state") == true)
        #expect(failed.provisionState == .manageable)
    }

    @Test("a node in maintenance for a power failure leaves it once its power can be read again")
    func powerFailureRecovery() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.setDriverInfo("fake_fail", "power.get_power_state", on: node)
        for _ in 1...3 {
            await fixture.conductor.runPeriodicChecks()
            try await fixture.conductor.settle()
        }
        try #require(try fixture.node(node).fault == "power failure")

        // Still unreadable: the recovery check leaves it in maintenance.
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).maintenance)

        try await fixture.removeDriverInfo("fake_fail", from: node)
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()

        let recovered = try fixture.node(node)
        #expect(!recovered.maintenance)
        #expect(recovered.fault == nil)
        #expect(recovered.maintenanceReason == nil)
        #expect(recovered.powerState == .off)
    }

    @Test("a maintenance the operator set is not lifted by the power-failure recovery")
    func recoveryLeavesOperatorMaintenance() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.command(.setMaintenance(reason: "replacing a DIMM", fault: nil), node)
        await fixture.conductor.runPeriodicChecks()
        try await fixture.conductor.settle()
        #expect(try fixture.node(node).maintenance)
        #expect(try fixture.node(node).maintenanceReason == "replacing a DIMM")
    }

    @Test("a successful power read between failures starts the count of failures again")
    func syncFailureCountResets() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()

        try await fixture.setDriverInfo("fake_fail", "power.get_power_state", on: node)
        for _ in 1...2 { await fixture.conductor.runPeriodicChecks() }
        try await fixture.removeDriverInfo("fake_fail", from: node)
        await fixture.conductor.runPeriodicChecks()
        try await fixture.setDriverInfo("fake_fail", "power.get_power_state", on: node)
        for _ in 1...2 { await fixture.conductor.runPeriodicChecks() }
        try await fixture.conductor.settle()

        #expect(try !fixture.node(node).maintenance)
        #expect(try fixture.node(node).fault == nil)
    }

    // MARK: Boot device

    @Test("setting a supported boot device records it; the BMC reports it back")
    func setBootDevice() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()

        try await fixture.conductor.setBootDevice(node, .disk, persistent: true, metadata: requestMetadata())

        let set = try fixture.node(node)
        #expect(set.bootDevice == .disk)
        #expect(set.bootDevicePersistent == true)
        #expect(try fixture.history(node).last == .bootDeviceSet(device: .disk, persistent: true))
        let reported = try await fixture.conductor.bootDevice(node)
        #expect(reported.device == .disk)
        #expect(reported.persistent == true)
    }

    @Test("a boot device the BMC does not support is refused with the ones it does")
    func unsupportedBootDevice() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        let events = try fixture.history(node).count

        let error = await #expect(throws: DomainError.self) {
            try await fixture.conductor.setBootDevice(node, .cdrom, persistent: false, metadata: requestMetadata())
        }
        guard case .invalidParameter(let message)? = error else {
            Issue.record("Expected InvalidParameter, got \(String(describing: error))")
            return
        }
        #expect(message.contains("cdrom"))
        #expect(message.contains("pxe, disk"))
        #expect(error?.httpStatus == 400)
        #expect(try fixture.history(node).count == events)
        #expect(try fixture.node(node).bootDevice == nil)
    }
}
