import Domain
import EventStore
import Foundation
import Synchronization

/// Drives a fleet of fake-hardware nodes to `active` through the engine — enroll, manage, provide,
/// deploy — the way an operator's script would, phase by phase. It picks up wherever the fleet
/// stands, so it can run again on a data directory a crash interrupted.
public struct FleetDriver: Sendable {
    /// The nodes, by index: the same UUIDs on every run.
    public let nodes: Int
    /// `driver_info` of each node (e.g. `fake_delay`).
    public let driverInfo: JSONValue

    public init(nodes: Int, driverInfo: JSONValue = .emptyObject) {
        self.nodes = nodes
        self.driverInfo = driverInfo
    }

    /// The UUID of node `index`.
    public static func uuid(_ index: Int) -> UUID {
        var bytes: uuid_t = (0xF1, 0xEE, 0x7D, 0, 0, 0x40, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { $0.storeBytes(of: UInt32(index).bigEndian, toByteOffset: 12, as: UInt32.self) }
        return UUID(uuid: bytes)
    }

    /// What a run did.
    public struct Outcome: Sendable {
        /// Seconds each user command took (decide, append, durable), in the order they finished.
        public var commandSeconds: [Double] = []
        /// How many nodes ended in each provision state.
        public var states: [ProvisionState: Int] = [:]
    }

    /// Enrolls the nodes that are missing, then moves every node one phase at a time until each is
    /// `active` or has failed (a failed node is left as it is, with its `last_error`).
    public func run(on conductor: Conductor, progress: (@Sendable (String) -> Void)? = nil) async throws -> Outcome {
        let latencies = LatencyLog()
        let info = driverInfo
        for round in 0..<8 {
            var moved = 0
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<nodes {
                    let uuid = Self.uuid(index)
                    group.addTask {
                        guard let command = try Self.nextCommand(for: conductor.commands.aggregate(uuid), index: index, driverInfo: info) else { return false }
                        do { try await latencies.time { try await conductor.commands.handle(command, node: uuid, metadata: Self.metadata) } } catch let error as DomainError {
                            // Another run or the engine moved the node meanwhile: the next round looks again.
                            if case .nodeLocked = error { return false }
                            throw error
                        }
                        return true
                    }
                }
                for try await didMove in group where didMove { moved += 1 }
            }
            try await conductor.settle()
            progress?("round \(round + 1): \(moved) commands")
            if moved == 0 { break }
        }
        var outcome = Outcome()
        outcome.commandSeconds = latencies.seconds
        for index in 0..<nodes {
            if let node = try conductor.commands.aggregate(Self.uuid(index))?.node { outcome.states[node.provisionState, default: 0] += 1 }
        }
        return outcome
    }

    private static var metadata: EventMetadata {
        EventMetadata(actor: "bench", project: "fleet", requestID: "req-\(UUID().uuidString.lowercased())")
    }

    /// The command that moves a node on towards `active`, if any.
    static func nextCommand(for aggregate: NodeAggregate?, index: Int, driverInfo: JSONValue) -> NodeCommand? {
        guard let aggregate, !aggregate.deleted else {
            return .enroll(uuid: uuid(index), fields: ["driver": "fake-hardware", "name": .string("fleet-\(index)"), "driver_info": driverInfo])
        }
        let node = aggregate.node
        switch node.provisionState {
        case .enroll where node.lastError == nil: return .provision(verb: .manage, arguments: ProvisionArguments())
        case .manageable: return .provision(verb: .provide, arguments: ProvisionArguments())
        case .available: return .provision(verb: .active, arguments: ProvisionArguments())
        default: return nil
        }
    }
}

/// How long each timed call took.
private final class LatencyLog: Sendable {
    private let samples = Mutex<[Double]>([])

    func time(_ body: () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        try await body()
        let seconds = (clock.now - started).seconds
        samples.withLock { $0.append(seconds) }
    }

    var seconds: [Double] { samples.withLock { $0 } }
}
