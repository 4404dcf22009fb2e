import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// Ironic's node reservation: one operation at a time per node. Concurrent user commands on one
/// node get one winner and NodeLocked for the rest; the node stays held while its work runs
/// (here made to take time on the manual clock with `fake_delay`); the engine's own outcomes are
/// never refused.
@Suite("Node reservation")
struct LockingTests {
    /// Seconds each fake action of a delayed node takes on the manual clock.
    static let delay = 5.0

    /// A conductor with no periodic loops (only driver delays sleep on its clock) and a node made
    /// available without delays, then given `fake_delay`.
    private func availableDelayedNode() async throws -> (ConductorFixture, UUID) {
        let fixture = try await ConductorFixture.start(configuration: .periodicWorkOnlyWhenRun)
        let node = try await fixture.availableNode()
        try await fixture.setDriverInfo("fake_delay", .number(Self.delay), on: node)
        return (fixture, node)
    }

    /// Runs `commands` on `node` all at once, returning each one's outcome.
    private func race(_ fixture: ConductorFixture, _ node: UUID, _ commands: [NodeCommand]) async -> [Result<Void, any Error>] {
        let conductor = fixture.conductor
        return await withTaskGroup(of: Result<Void, any Error>.self) { group in
            for command in commands {
                group.addTask {
                    do {
                        try await conductor.commands.handle(command, node: node, metadata: requestMetadata())
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<Void, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    private func isNodeLocked(_ result: Result<Void, any Error>) -> Bool {
        guard case .failure(let error) = result else { return false }
        return (error as? DomainError)?.isNodeLocked == true
    }

    @Test("of ten concurrent deploys of one node exactly one is accepted and every other is refused with NodeLocked")
    func concurrentDeploys() async throws {
        let (fixture, node) = try await availableDelayedNode()
        defer { fixture.stop(); fixture.remove() }

        let results = await race(fixture, node, Array(repeating: .provision(verb: .active, arguments: ProvisionArguments()), count: 10))

        #expect(results.count == 10)
        #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1)
        #expect(results.filter(isNodeLocked).count == 9)
        #expect(try fixture.provisionChanges(node).filter { $0.verb == .active }.count == 1)

        try await fixture.settleMovingClock(by: .seconds(Self.delay))
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.finishedSteps(node, phase: .deploy) == LifecyclePathTests.deploySteps)
    }

    @Test("of concurrent deploys and power actions on one node exactly one is accepted and every other is refused with NodeLocked")
    func concurrentMixedCommands() async throws {
        let (fixture, node) = try await availableDelayedNode()
        defer { fixture.stop(); fixture.remove() }

        var commands: [NodeCommand] = []
        for index in 0..<12 {
            switch index % 4 {
            case 0: commands.append(.provision(verb: .active, arguments: ProvisionArguments()))
            case 1: commands.append(.requestPower(target: .on, timeout: nil))
            case 2: commands.append(.requestPower(target: .rebooting, timeout: nil))
            default: commands.append(.requestPower(target: .softOff, timeout: nil))
            }
        }
        let results = await race(fixture, node, commands)

        #expect(results.filter { if case .success = $0 { true } else { false } }.count == 1)
        #expect(results.filter(isNodeLocked).count == commands.count - 1)

        try await fixture.settleMovingClock(by: .seconds(Self.delay))
        let settled = try fixture.node(node)
        #expect(settled.targetPowerState == nil)
        #expect(settled.targetProvisionState == nil)
        #expect([.available, .active].contains(settled.provisionState))
    }

    @Test("while a node deploys, user commands on it are refused with NodeLocked; once it is active they go through")
    func heldWhileDeploying() async throws {
        let (fixture, node) = try await availableDelayedNode()
        defer { fixture.stop(); fixture.remove() }
        try await fixture.conductor.commands.handle(.provision(verb: .active, arguments: ProvisionArguments()), node: node, metadata: requestMetadata())
        // The work is under way, asleep in its first delayed action.
        try await fixture.eventually { fixture.clock.sleeperCount > 0 }
        try #require(try fixture.node(node).provisionState == .deploying)

        let refused: [NodeCommand] = [
            .update(patch: [["op": "add", "path": "/extra/rack", "value": "r12"]]),
            .requestPower(target: .off, timeout: nil),
            .provision(verb: .deleted, arguments: ProvisionArguments()),
            .setMaintenance(reason: "while deploying", fault: nil),
        ]
        for command in refused {
            await #expect(throws: DomainError.nodeLocked(node: node, holder: "test-conductor"), "\(command)") {
                try await fixture.conductor.commands.handle(command, node: node, metadata: requestMetadata())
            }
        }
        await #expect(throws: DomainError.nodeLocked(node: node, holder: "test-conductor")) {
            try await fixture.conductor.setBootDevice(node, .disk, persistent: false, metadata: requestMetadata())
        }
        #expect(try fixture.node(node).extra["rack"] == nil)
        #expect(try !fixture.node(node).maintenance)

        try await fixture.settleMovingClock(by: .seconds(Self.delay))
        #expect(try fixture.node(node).provisionState == .active)

        try await fixture.conductor.commands.handle(refused[0], node: node, metadata: requestMetadata())
        #expect(try fixture.node(node).extra["rack"] == "r12")
        try await fixture.conductor.commands.handle(.setMaintenance(reason: "after deploying", fault: nil), node: node, metadata: requestMetadata())
        #expect(try fixture.node(node).maintenance)
    }

    @Test("while a power action runs the node is held, and released when it ends")
    func heldWhilePowering() async throws {
        let (fixture, node) = try await availableDelayedNode()
        defer { fixture.stop(); fixture.remove() }
        try await fixture.conductor.commands.handle(.requestPower(target: .on, timeout: nil), node: node, metadata: requestMetadata())
        try await fixture.eventually { fixture.clock.sleeperCount > 0 }
        try #require(try fixture.node(node).targetPowerState == .on)

        await #expect(throws: DomainError.nodeLocked(node: node, holder: "test-conductor")) {
            try await fixture.conductor.commands.handle(.requestPower(target: .off, timeout: nil), node: node, metadata: requestMetadata())
        }

        try await fixture.settleMovingClock(by: .seconds(Self.delay))
        #expect(try fixture.node(node).powerState == .on)
        #expect(try fixture.node(node).targetPowerState == nil)
        try await fixture.conductor.commands.handle(.requestPower(target: .off, timeout: nil), node: node, metadata: requestMetadata())
        try await fixture.settleMovingClock(by: .seconds(Self.delay))
        #expect(try fixture.node(node).powerState == .off)
    }

    @Test("the engine's own outcomes go through while the node is held")
    func engineOutcomesNotRefused() async throws {
        let (fixture, node) = try await availableDelayedNode()
        defer { fixture.stop(); fixture.remove() }
        try await fixture.conductor.commands.handle(.provision(verb: .active, arguments: ProvisionArguments()), node: node, metadata: requestMetadata())
        try await fixture.eventually { fixture.clock.sleeperCount > 0 }
        try #require(try fixture.node(node).provisionState == .deploying)

        let outcome = try await fixture.conductor.commands.handle(
            .setLastError("noted by the conductor"), node: node,
            metadata: EventMetadata(actor: "conductor"), origin: .engine
        )
        #expect(outcome.events == [.lastErrorChanged(error: "noted by the conductor")])
        #expect(try fixture.node(node).lastError == "noted by the conductor")

        try await fixture.settleMovingClock(by: .seconds(Self.delay))
        #expect(try fixture.node(node).provisionState == .active)
    }

    @Test("a node held by its work does not hold up another node")
    func otherNodesNotHeld() async throws {
        let (fixture, node) = try await availableDelayedNode()
        defer { fixture.stop(); fixture.remove() }
        let other = try await fixture.availableNode()
        try await fixture.conductor.commands.handle(.provision(verb: .active, arguments: ProvisionArguments()), node: node, metadata: requestMetadata())
        try await fixture.eventually { fixture.clock.sleeperCount > 0 }

        // The other node deploys to the end while the first sleeps in its first action.
        try await fixture.conductor.commands.handle(.update(patch: [["op": "add", "path": "/extra/rack", "value": "r7"]]), node: other, metadata: requestMetadata())
        try await fixture.conductor.commands.handle(.provision(verb: .active, arguments: ProvisionArguments()), node: other, metadata: requestMetadata())
        try await fixture.eventually { try fixture.node(other).provisionState == .active }
        #expect(try fixture.node(node).provisionState == .deploying)
        #expect(try fixture.node(other).extra["rack"] == "r7")

        try await fixture.settleMovingClock(by: .seconds(Self.delay))
        #expect(try fixture.node(node).provisionState == .active)
    }

    @Test("a node waiting for its agent is not held: user commands on it are decided on their merits")
    func waitStatesNotHeld() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await WaitingOperation.deploying.bringToWait(fixture)

        // Not NodeLocked: a power action is accepted, and an update is refused for the transition.
        try await fixture.command(.requestPower(target: .on, timeout: nil), node)
        #expect(try fixture.node(node).powerState == .on)
        let error = await #expect(throws: DomainError.self) {
            try await fixture.command(.update(patch: [["op": "add", "path": "/extra/rack", "value": "r1"]]), node)
        }
        #expect(error?.isNodeLocked == false)
        guard case .invalidState? = error else {
            Issue.record("Expected InvalidState, got \(String(describing: error))")
            return
        }
    }
}
