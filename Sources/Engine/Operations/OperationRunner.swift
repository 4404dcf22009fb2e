import Domain
import Drivers
import EventStore
import Foundation
import Projections

/// Does the work a node's recorded state calls for — the `-ing` state it is in, or its pending
/// power action — through its drivers, appending each outcome, until no work is left.
///
/// It works from the node's state and stream alone, so the same code starts an operation,
/// continues one after an agent's call-back, and resumes one after a crash.
struct OperationRunner {
    let context: EngineContext

    /// How a run of steps ended.
    enum StepsOutcome {
        case completed, waiting, failed
    }

    /// The engine is shutting down: the work stopped between two steps, and a restart resumes it.
    struct Stopping: Error {}

    /// Runs the node's work until it rests (a stable, wait, hold or failed state), or until the
    /// engine stops between two steps.
    func run(_ uuid: UUID) async {
        // Each round moves the node on (or ends); the bound only guards against a driver that
        // leaves a node where it found it.
        for _ in 0..<32 {
            do {
                guard !context.isStopping else { throw Stopping() }
                guard let aggregate = try context.commands.aggregate(uuid), !aggregate.deleted else { return }
                guard try await work(on: aggregate) else { return }
            } catch is Stopping {
                context.logger.notice("Work on node \(uuid.lowercased) paused for shutdown; it resumes at the next start")
                return
            } catch {
                context.logger.error("Work on node \(uuid.lowercased) stopped: \(error)")
                return
            }
        }
    }

    /// Does the next piece of work; `false` if the node needs none.
    private func work(on aggregate: NodeAggregate) async throws -> Bool {
        let node = aggregate.node
        if node.targetPowerState != nil {
            try await changePower(aggregate)
            return true
        }
        switch node.provisionState {
        case .verifying: try await verify(aggregate)
        case .inspecting: try await inspect(aggregate)
        case .cleaning: try await clean(aggregate)
        case .deploying: try await deploy(aggregate)
        case .deleting: try await tearDown(aggregate)
        case .rescuing: try await rescue(aggregate)
        case .unrescuing: try await unrescue(aggregate)
        case .adopting: try await adopt(aggregate)
        case .servicing: try await service(aggregate)
        default: return false
        }
        return true
    }

    /// The progress of the operation the node is in, or an error if its start cannot be found.
    func progress(_ aggregate: NodeAggregate) throws -> OperationProgress {
        guard let progress = try OperationProgress.read(aggregate.node.uuid, state: aggregate.node.provisionState, in: context.store) else {
            throw DriverError("The start of the \(aggregate.node.provisionState.rawValue) operation is not in the node's history")
        }
        return progress
    }

    /// The node's driver task, or `nil` after failing the operation with why it has none.
    func task(_ aggregate: NodeAggregate, _ progress: OperationProgress, failure: String) async throws -> DriverTask? {
        do {
            return try context.task(for: aggregate, cause: progress.start)
        } catch {
            try await fail(aggregate, progress, "\(failure): \(error)")
            return nil
        }
    }

    /// Moves the node to the failed state of its operation with `message` as `last_error`; a
    /// failed deploy first detaches the volumes it attached. As
    /// Ironic's error handlers do, a cleaning or servicing that fails in one of its steps
    /// (`stepFailed`) also puts the node in maintenance, with fault `clean failure` or
    /// `service failure`.
    func fail(_ aggregate: NodeAggregate, _ progress: OperationProgress?, _ message: String, stepFailed: Bool = false) async throws {
        let uuid = aggregate.node.uuid
        context.logger.warning("Node \(uuid.lowercased): \(message)")
        if aggregate.node.provisionState == .deploying {
            try await detachVolumes(uuid, reason: .deployFailed, throughStorage: true, cause: progress?.start)
        }
        try await context.record(.advance(event: .fail, error: message), uuid, cause: progress?.start)
        guard stepFailed, !aggregate.node.maintenance else { return }
        switch aggregate.node.provisionState {
        case .cleaning: try await context.record(.setMaintenance(reason: message, fault: "clean failure"), uuid, cause: progress?.start)
        case .servicing: try await context.record(.setMaintenance(reason: message, fault: "service failure"), uuid, cause: progress?.start)
        default: break
        }
    }

    /// Runs `steps` not yet finished, in order, recording each start and end. A step left
    /// unfinished by a crash runs again only if it is repeatable; one handed to an agent that has
    /// called back counts as done.
    func runSteps(_ steps: [Step], phase: StepPhase, _ aggregate: NodeAggregate, _ progress: OperationProgress,
                  _ task: DriverTask) async throws -> StepsOutcome {
        let uuid = aggregate.node.uuid
        for step in steps {
            let key = OperationProgress.key(step.json)
            guard !progress.finished.contains(key) else { continue }
            guard !context.isStopping else { throw Stopping() }
            if let unfinished = progress.unfinished, OperationProgress.key(unfinished) == key {
                if progress.resumedByAgent {
                    try await context.record(.finishStep(phase: phase, step: unfinished, error: nil), uuid, cause: progress.start)
                    try await afterStep(step, aggregate, progress)
                    continue
                }
                guard step.repeatable else {
                    try await context.record(.finishStep(phase: phase, step: unfinished, error: "interrupted"), uuid, cause: progress.start)
                    try await fail(aggregate, progress, "The \(phase.rawValue) step \(key) was interrupted by a restart of the conductor "
                        + "and is not safe to repeat. Check the node before trying again.", stepFailed: true)
                    return .failed
                }
                context.logger.notice("Node \(uuid.lowercased): repeating the interrupted \(phase.rawValue) step \(key)")
            } else {
                try await context.record(.startStep(phase: phase, step: step.json), uuid, cause: progress.start)
            }
            guard let interface = task.driver.interfaces[step.interface] else {
                try await fail(aggregate, progress, "The node has no \(step.interface.rawValue) interface to run the \(phase.rawValue) step \(key)")
                return .failed
            }
            let outcome: StepOutcome
            do {
                outcome = try await interface.execute(step, phase: phase, task)
            } catch {
                try await context.record(.finishStep(phase: phase, step: step.json, error: error.reason), uuid, cause: progress.start)
                try await fail(aggregate, progress, "The \(phase.rawValue) step \(key) failed: \(error.reason)", stepFailed: true)
                return .failed
            }
            if outcome == .wait {
                try await context.record(.advance(event: .wait, error: nil), uuid, cause: progress.start)
                return .waiting
            }
            try await context.record(.finishStep(phase: phase, step: step.json, error: nil), uuid, cause: progress.start)
            try await afterStep(step, aggregate, progress)
        }
        return .completed
    }

    /// What the engine records after a deploy step that moved the node's networks or attached
    /// its volumes.
    private func afterStep(_ step: Step, _ aggregate: NodeAggregate, _ progress: OperationProgress) async throws {
        let uuid = aggregate.node.uuid
        switch step.name {
        case "switch_to_tenant_network":
            try await context.record(.changeNetworkPhase(.tenant), uuid, cause: progress.start)
        case "prepare_instance_boot" where !aggregate.volumeTargets.isEmpty:
            try await recordAttachedVolumes(uuid, cause: progress.start)
        default: break
        }
    }

    /// Reads the node's power state and records it.
    func recordPower(_ task: DriverTask, cause: RecordedEvent?) async throws {
        guard let power = task.driver.power, let state = try? await power.powerState(task) else { return }
        try await context.record(.recordPowerState(state), task.node.uuid, cause: cause)
    }
}
