import Domain
import Foundation
import Synchronization

/// Ironic's node reservation: one operation at a time per node.
///
/// A node is held while a command on it is being decided and appended, and — recorded in the
/// node itself, so it survives a restart — for as long as work runs on it: an active `-ing`
/// state (deploying, cleaning…) or a pending power action. Wait and hold states do not hold it.
/// A user's command on a held node is refused with ``DomainError/nodeLocked(node:holder:)``
/// (409 NodeLocked, which clients retry); the engine's own outcomes go through.
public final class NodeReservation: Sendable {
    /// The name the lock shows as its holder (Ironic shows the conductor's host name).
    public let host: String
    private let held = Mutex<Set<UUID>>([])

    public init(host: String) { self.host = host }

    /// Whether work is running on the node, as its recorded state says.
    public static func isBusy(_ node: Node) -> Bool {
        ProvisionState.stuckTreatedAsFail.contains(node.provisionState) || node.targetPowerState != nil
    }

    /// Takes the node for one command, or says it is taken.
    func acquire(_ node: UUID) throws(DomainError) {
        let taken = held.withLock { $0.insert(node).inserted }
        guard taken else { throw .nodeLocked(node: node, holder: host) }
    }

    /// Gives the node back after the command.
    func release(_ node: UUID) {
        _ = held.withLock { $0.remove(node) }
    }
}
