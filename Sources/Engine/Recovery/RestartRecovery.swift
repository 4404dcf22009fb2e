import Domain
import EventStore
import Foundation
import Projections

/// What a conductor checks and picks up when it starts, before it takes new work.
///
/// 1. The log's tail verifies (hash chain, gapless positions, the recorded head).
/// 2. Every node left in an active state by the last run is put back to work: its operation
///    resumes where the log says it was — an interrupted step runs again only if it is safe to
///    repeat, otherwise the node moves to the failed state with the reason recorded.
/// 3. Every pending power action is carried out again — unless it is a reboot, which is not
///    repeated (see `docs/recovery.md`).
///
/// Wait states keep waiting: their call-back timeouts run from `provision_updated_at`, which the
/// restart does not change.
enum RestartRecovery {
    /// The log's tail is broken: the conductor does not start on it.
    struct BrokenTail: Error, CustomStringConvertible {
        let problem: VerificationReport.Problem
        var description: String {
            "The log does not verify at position \(problem.position): \(problem.reason). Run `ironlog verify --data DIR` "
                + "for a full report, then restore the data directory from a backup: `ironlog restore BACKUP --data DIR --force` (see docs/disaster-recovery.md, Corruption)."
        }
    }

    /// Throws ``BrokenTail`` if the last `configuration.tailVerification` envelopes do not verify.
    static func checkTail(_ context: EngineContext) throws {
        if let problem = try context.store.verifyTail(count: context.configuration.tailVerification) {
            throw BrokenTail(problem: problem)
        }
    }

    /// Checks the tail and returns the nodes to put back to work; marks their pending power actions
    /// as interrupted.
    static func prepare(_ context: EngineContext, tables: NodeTables) throws -> [UUID] {
        try checkTail(context)
        let nodes = try context.store.read { txn in try NodeStore.all(in: txn, tables: tables) }
        var resumed: [UUID] = []
        for aggregate in nodes where !aggregate.deleted {
            let node = aggregate.node
            if node.targetPowerState != nil {
                context.interruptedPowerActions.withLock { _ = $0.insert(node.uuid) }
            }
            if NodeReservation.isBusy(node) {
                context.logger.info("Resuming node \(node.uuid.lowercased) in \(node.provisionState.rawValue)\(node.targetPowerState.map { " with a pending power action to \($0.rawValue)" } ?? "")")
                resumed.append(node.uuid)
            }
        }
        if !resumed.isEmpty {
            context.logger.notice("Resuming \(resumed.count) node(s) the last run left in the middle of an operation")
        }
        return resumed
    }
}
