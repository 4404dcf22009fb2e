import Domain
import EventStore
import Foundation
import Projections
import Synchronization

/// Follows the log from its own checkpoint and hands each node that a new event puts to work —
/// a provision change into an active state, a power request — to the work queue.
///
/// The work itself reads the node's state, so an event delivered twice (after a restart from an
/// older checkpoint) costs a look, never a second action.
final class ProvisioningReactor: Sendable {
    /// The reactor's checkpoint in the store.
    static let checkpointName = "reactor/provisioning"

    private let store: LMDBEventStore
    private let queue: NodeWorkQueue
    /// The last position handed on.
    private let processed = Atomic<UInt64>(0)

    init(store: LMDBEventStore, queue: NodeWorkQueue) {
        self.store = store
        self.queue = queue
    }

    /// The last position this reactor has handed on.
    var position: UInt64 { processed.load(ordering: .acquiring) }

    /// Whether `recorded` puts its node to work.
    static func startsWork(_ recorded: RecordedEvent) -> Bool {
        switch recorded.type {
        case "PowerActionRequested": return true
        case "ProvisionStateChanged":
            guard case .provisionStateChanged(let change)? = try? NodeEvent.decode(payload: recorded.payload) else { return false }
            return ProvisionState.stuckTreatedAsFail.contains(change.to)
        default: return false
        }
    }

    /// Follows the log until it closes or the task is cancelled, saving the checkpoint as it goes.
    func run() async throws {
        let start = try store.checkpoint(named: Self.checkpointName)
        processed.store(start, ordering: .releasing)
        var saved = start
        for try await recorded in store.subscribe(from: start + 1, batchSize: 4096) {
            if Self.startsWork(recorded), let node = NodeStream.node(of: recorded.streamID) {
                queue.poke(node, requestID: recorded.metadata.requestID)
            }
            processed.store(recorded.position, ordering: .releasing)
            // The checkpoint only spares re-reading after a restart: save it now and then, not
            // per event.
            if recorded.position - saved >= 1024 {
                let position = recorded.position
                try await store.write { txn in try self.store.saveCheckpoint(named: Self.checkpointName, position: position, in: txn) }
                saved = position
            }
        }
    }
}
