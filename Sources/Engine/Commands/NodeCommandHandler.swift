import Domain
import EventStore
import Foundation
import Projections

/// Turns a command into events in the log: load the node's current state, decide, seal the
/// secrets, and append with the node's expected version and the fleet's uniqueness rules checked
/// inside the writer's transaction. Returns once the events are durable and projected.
public final class NodeCommandHandler: Sendable {
    /// What handling a command did.
    public struct Outcome: Sendable {
        /// The events appended (sealed as stored); empty if the command changed nothing.
        public var events: [NodeEvent]
        /// Their positions in the log.
        public var positions: [UInt64]
        /// The node as it stands after them (`nil` once deleted).
        public var node: NodeAggregate?
    }

    /// Who asks: users are refused while the node is held; the engine's outcomes are the work
    /// that holds it.
    public enum Origin: Sendable {
        case user
        case engine
    }

    let store: LMDBEventStore
    let projections: ProjectionSet
    let keyring: NodeKeyring
    let fleet: ProjectedFleet
    /// The per-node reservation.
    public let reservation: NodeReservation
    /// How many times a command is decided again after losing a race for the node's stream.
    let attempts = 8

    /// A handler over `store`, whose inline projections `projections` are registered.
    public init(store: LMDBEventStore, projections: ProjectionSet, keyring: NodeKeyring,
                reservation: NodeReservation = NodeReservation(host: ProcessInfo.processInfo.hostName)) {
        self.reservation = reservation
        self.store = store
        self.projections = projections
        self.keyring = keyring
        self.fleet = ProjectedFleet(store: store, tables: projections.nodes.tables)
    }

    /// The node's current state from the projection.
    public func aggregate(_ node: UUID) throws -> NodeAggregate? {
        try store.read { txn in try NodeStore.aggregate(node, in: txn, tables: projections.nodes.tables) }
    }

    /// Decides `command` for `node` and appends its events with `metadata`.
    ///
    /// Throws ``DomainError`` for a refusal (whether `decide` or the writer's uniqueness check
    /// refused it). A user's command is refused with `nodeLocked` while another command on the
    /// node is in flight or work runs on it. A concurrent change to the same node by the engine
    /// makes it decide again on the new state.
    @discardableResult
    public func handle(_ command: NodeCommand, node: UUID, metadata: EventMetadata, origin: Origin = .user) async throws -> Outcome {
        guard origin == .user else { return try await decideAndAppend(command, node: node, metadata: metadata, origin: origin) }
        try reservation.acquire(node)
        defer { reservation.release(node) }
        return try await decideAndAppend(command, node: node, metadata: metadata, origin: origin)
    }

    private func decideAndAppend(_ command: NodeCommand, node: UUID, metadata: EventMetadata, origin: Origin) async throws -> Outcome {
        for attempt in 1...attempts {
            let current = try aggregate(node)
            if origin == .user, let current, !current.deleted, NodeReservation.isBusy(current.node) {
                throw DomainError.nodeLocked(node: node, holder: reservation.host)
            }
            let decided = try NodeDecider.decide(current, command, fleet: fleet)
            guard !decided.isEmpty else { return Outcome(events: [], positions: [], node: current) }
            var events = decided
            if EventSealing.needsSealing(decided) {
                guard let sealer = try keyring.sealer(for: node, create: current == nil) else {
                    throw DomainError.invalidState("The secrets key of node \(node.lowercased) has been shredded; its secrets can no longer be changed.")
                }
                events = EventSealing.seal(decided, node: node, with: sealer)
            }
            var after = current
            for event in events { after = NodeEvolution.evolve(after, event, at: 0) }
            let proposed = try events.map { event in
                ProposedEvent(type: event.typeName, schemaVersion: NodeEvent.schemaVersion, metadata: metadata, payload: try event.encodedPayload())
            }
            // A node the projection does not have may still have a stream: one that was deleted.
            // Enrolling that UUID again continues its stream, so its history stays in one place.
            let version = try current?.version ?? store.version(ofStream: NodeStream.id(node))
            let append = StreamAppend(
                streamID: NodeStream.id(node),
                expectedVersion: version == 0 ? .noStream : .exact(version),
                events: proposed
            )
            do {
                // A node event that releases an allocation deletes it in the same append.
                let released = try allocationsReleased(by: events, node: node, metadata: metadata)
                let result = try await store.append([append] + released, condition: NodeUniquenessCondition(tables: projections.nodes.tables, node: node, after: after))
                return Outcome(events: events, positions: result.positions, node: try aggregate(node))
            } catch EventStoreError.wrongExpectedVersion where attempt < attempts {
                continue
            } catch EventStoreError.wrongExpectedVersion {
                throw DomainError.invalidState("Node \(node.lowercased) is changing too quickly to apply this request; retry it.")
            }
        }
        preconditionFailure("unreachable: the last attempt returns or throws")
    }
}
