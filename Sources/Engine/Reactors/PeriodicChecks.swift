import Domain
import Drivers
import EventStore
import Foundation
import Projections
import Synchronization

/// The conductor's periodic work, on the engine's clock: callback timeouts of wait states, and
/// the power-state sync with its recovery from power failures.
final class PeriodicChecks: Sendable {
    private let context: EngineContext
    private let tables: NodeTables
    /// Consecutive failed power reads per node.
    private let powerFailures = Mutex<[UUID: Int]>([:])

    init(context: EngineContext, tables: NodeTables) {
        self.context = context
        self.tables = tables
    }

    private var nodes: [NodeAggregate] {
        (try? context.store.read { txn in try NodeStore.all(in: txn, tables: tables) }) ?? []
    }

    /// Runs `body` every `interval` on the engine's clock until cancelled.
    static func every(_ interval: Duration, clock: any EngineClock, _ body: @Sendable () async -> Void) async {
        guard interval > .zero else { return }
        while !Task.isCancelled {
            do { try await clock.sleep(for: interval) } catch { return }
            await body()
        }
    }

    /// Fails every wait state whose agent has not called back within its timeout (measured from
    /// `provision_updated_at`, which survives restarts). Nodes in maintenance are skipped.
    func failTimedOutWaits() async {
        let now = context.clock.nowMicroseconds
        for aggregate in nodes where !aggregate.node.maintenance {
            let node = aggregate.node
            guard let timeout = context.configuration.callbackTimeouts[node.provisionState],
                  let since = node.provisionUpdatedAt, now - since >= timeout.microseconds else { continue }
            let message = "Timeout reached while waiting for callback for node \(node.uuid.lowercased)"
            do {
                try await context.record(.advance(event: .fail, error: message), node.uuid, cause: nil)
                if node.provisionState == .cleanWait {
                    try await context.record(.setMaintenance(reason: message, fault: "clean failure"), node.uuid, cause: nil)
                }
            } catch {
                context.logger.warning("Could not time out node \(node.uuid.lowercased): \(error)")
            }
        }
    }

    /// States whose power mismatches the sync ignores (Ironic's list).
    private static let unsyncedStates: Set<ProvisionState> = [.waitCallBack, .cleanWait, .enroll, .adoptFailed]

    /// Compares each node's recorded power state with its BMC: forces the hardware back (or
    /// records it), and after repeated failures to read it puts the node in maintenance with
    /// fault `power failure`.
    func syncPowerStates() async {
        for aggregate in nodes {
            let node = aggregate.node
            guard !node.maintenance, !NodeReservation.isBusy(node), let recorded = node.powerState,
                  !Self.unsyncedStates.contains(node.provisionState),
                  let task = try? context.task(for: aggregate), let power = task.driver.power, power.supportsPowerSync else { continue }
            do {
                let actual = try await power.powerState(task)
                powerFailures.withLock { _ = $0.removeValue(forKey: node.uuid) }
                guard actual != recorded else { continue }
                if context.configuration.forcePowerStateDuringSync {
                    context.logger.warning("Node \(node.uuid.lowercased) is \(actual.rawValue) but should be \(recorded.rawValue); forcing it back")
                    try await power.setPowerState(task, recorded == .on ? .on : .off, timeout: nil)
                } else {
                    try await context.record(.recordPowerState(actual), node.uuid, cause: nil)
                }
            } catch {
                let failures = powerFailures.withLock { failures -> Int in
                    failures[node.uuid, default: 0] += 1
                    return failures[node.uuid]!
                }
                guard failures >= context.configuration.powerStateSyncMaxRetries else { continue }
                powerFailures.withLock { _ = $0.removeValue(forKey: node.uuid) }
                let message = "During sync_power_state, max retries exceeded for node \(node.uuid.lowercased), node state \(recorded.rawValue) "
                    + "could not be confirmed. Switching node to maintenance mode. Error: \(error)"
                try? await context.record(.setMaintenance(reason: message, fault: "power failure"), node.uuid, cause: nil)
                try? await context.record(.recordPowerState(nil), node.uuid, cause: nil)
            }
        }
    }

    /// Takes nodes out of a `power failure` maintenance once their BMC answers again.
    func recoverPowerFailures() async {
        for aggregate in nodes where aggregate.node.maintenance && aggregate.node.fault == "power failure" {
            guard let task = try? context.task(for: aggregate), let power = task.driver.power,
                  let state = try? await power.powerState(task) else { continue }
            try? await context.record(.clearMaintenance, aggregate.node.uuid, cause: nil)
            try? await context.record(.recordPowerState(state), aggregate.node.uuid, cause: nil)
        }
    }
}
