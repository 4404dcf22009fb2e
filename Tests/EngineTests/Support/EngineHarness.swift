import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Synchronization
import Testing

extension EngineConfiguration {
    /// The defaults, with the periodic loops off: timeouts and power sync run only when a test
    /// calls `runPeriodicChecks()`, and the manual clock can be moved without waking them.
    static var periodicWorkOnlyWhenRun: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.checkProvisionStateInterval = .zero
        configuration.syncPowerStateInterval = .zero
        configuration.powerFailureRecoveryInterval = .zero
        return configuration
    }
}

/// An ``ActionJournal`` in memory: every action the fake hardware performed, in order.
final class InMemoryActionJournal: ActionJournal {
    private let entries = Mutex<[(node: UUID, action: String)]>([])

    func record(node: UUID, action: String) {
        entries.withLock { $0.append((node, action)) }
    }

    /// The actions performed on `node`, in order.
    func actions(of node: UUID) -> [String] {
        entries.withLock { $0.filter { $0.node == node }.map(\.action) }
    }

    /// How many actions have been performed on any node.
    var count: Int { entries.withLock { $0.count } }

    /// The actions performed on `node` after the first `skipping` entries of the whole journal.
    func actions(of node: UUID, after skipping: Int) -> [String] {
        entries.withLock { Array($0.dropFirst(skipping)).filter { $0.node == node }.map(\.action) }
    }
}

/// A step event of a node's stream, reduced to what the tests compare.
struct StepRecord: Hashable, CustomStringConvertible {
    enum Kind: String { case started, finished }
    let kind: Kind
    let name: String
    let error: String?

    var description: String { "\(kind.rawValue) \(name)\(error.map { " (\($0))" } ?? "")" }
}

extension ConductorFixture {
    /// The node's events with their envelopes, in order.
    func recorded(_ node: UUID) throws -> [(envelope: RecordedEvent, event: NodeEvent)] {
        try conductor.store.events(ofStream: NodeStream.id(node)).map { ($0, try NodeEvent.decode(payload: $0.payload)) }
    }

    /// The node's step events of `phase`, in order.
    func steps(_ node: UUID, phase: StepPhase) throws -> [StepRecord] {
        try history(node).compactMap { event -> StepRecord? in
            switch event {
            case .stepStarted(phase, let step):
                StepRecord(kind: .started, name: step["step"]?.stringValue ?? "?", error: nil)
            case .stepFinished(phase, let step, let error):
                StepRecord(kind: .finished, name: step["step"]?.stringValue ?? "?", error: error)
            default: nil
            }
        }
    }

    /// The names of the steps of `phase` that finished, in order (failed ones included).
    func finishedSteps(_ node: UUID, phase: StepPhase) throws -> [String] {
        try steps(node, phase: phase).filter { $0.kind == .finished }.map(\.name)
    }

    /// The provision state changes of the node, in order.
    func provisionChanges(_ node: UUID) throws -> [ProvisionStateChange] {
        try history(node).compactMap { if case .provisionStateChanged(let change) = $0 { change } else { nil } }
    }

    /// Enrolls a fake-hardware node and brings it to `manageable`.
    func manageableNode(driverInfo: JSONValue = .emptyObject, fields: [String: JSONValue] = [:]) async throws -> UUID {
        let node = try await enroll(name: nil, driverInfo: driverInfo, fields: fields)
        try await provision(.manage, node, ProvisionArguments())
        try #require(try self.node(node).provisionState == .manageable)
        return node
    }

    /// Enrolls a fake-hardware node and brings it to `available`.
    func availableNode(driverInfo: JSONValue = .emptyObject, fields: [String: JSONValue] = [:]) async throws -> UUID {
        let node = try await manageableNode(driverInfo: driverInfo, fields: fields)
        try await provision(.provide, node, ProvisionArguments())
        try #require(try self.node(node).provisionState == .available)
        return node
    }

    /// Enrolls a fake-hardware node and deploys it.
    func activeNode(driverInfo: JSONValue = .emptyObject, fields: [String: JSONValue] = [:]) async throws -> UUID {
        let node = try await availableNode(driverInfo: driverInfo, fields: fields)
        try await provision(.active, node, ProvisionArguments())
        try #require(try self.node(node).provisionState == .active)
        return node
    }

    /// Enrolls a fake-hardware node and brings it to `state`: manageable, available or active.
    func node(in state: ProvisionState, driverInfo: JSONValue = .emptyObject) async throws -> UUID {
        switch state {
        case .manageable: return try await manageableNode(driverInfo: driverInfo)
        case .available: return try await availableNode(driverInfo: driverInfo)
        case .active: return try await activeNode(driverInfo: driverInfo)
        default:
            Issue.record("No path to \(state.rawValue) here")
            throw CancellationError()
        }
    }

    /// Sets (or replaces) one `driver_info` key of the node by a JSON Patch.
    func setDriverInfo(_ key: String, _ value: JSONValue, on node: UUID) async throws {
        try await command(.update(patch: [["op": "add", "path": .string("/driver_info/\(key)"), "value": value]]), node)
    }

    /// Removes one `driver_info` key of the node by a JSON Patch.
    func removeDriverInfo(_ key: String, from node: UUID) async throws {
        try await command(.update(patch: [["op": "remove", "path": .string("/driver_info/\(key)")]]), node)
    }

    /// Settles the engine while its fake drivers sleep on the manual clock (`fake_delay`): each
    /// time some work is asleep, time moves on by `step`. Only meaningful with the periodic loops
    /// off (``EngineConfiguration/periodicWorkOnlyWhenRun``), whose sleepers would count too.
    func settleMovingClock(by step: Duration) async throws {
        let settled = Mutex(false)
        let conductor = conductor
        let settling = Task {
            defer { settled.withLock { $0 = true } }
            try await conductor.settle()
        }
        try await moveClock(by: step) { settled.withLock { $0 } }
        try await settling.value
    }

    /// Yields until `condition` holds, without moving the clock: for work that runs without
    /// sleeping, or that is expected to fall asleep on the clock.
    func eventually(_ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try condition() { return }
            await Task.yield()
        }
        Issue.record("The engine never got there")
        throw CancellationError()
    }

    /// Moves the manual clock by `step` each time some work sleeps on it, until `done` holds.
    /// The sleeper count is read before `done`, so a sleeper seen is one `done` has not yet
    /// accounted for.
    func moveClock(by step: Duration, until done: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let sleeping = clock.sleeperCount > 0
            if try done() { return }
            if sleeping { clock.advance(by: step) }
            await Task.yield()
        }
        Issue.record("The engine did not get there while the clock was moved")
        throw CancellationError()
    }
}

extension Node {
    /// The name of the deploy step the node is in, if any.
    var deployStepName: String? { deployStep["step"]?.stringValue }
    /// The name of the clean step the node is in, if any.
    var cleanStepName: String? { cleanStep["step"]?.stringValue }
}

extension DomainError {
    /// Whether this is a `NodeLocked` refusal.
    var isNodeLocked: Bool {
        if case .nodeLocked = self { return true }
        return false
    }
}
