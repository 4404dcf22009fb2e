import Domain
import Drivers
import EventStore
import Foundation

/// Attach-volume: what the engine records around the storage interface. The deploy's
/// `prepare_instance_boot` step attaches the node's volumes; each target attached becomes a
/// `VolumeAttached` event. The tear-down detaches them, and so does a deploy that fails; each
/// becomes a `VolumeDetached` event with why.
extension OperationRunner {
    /// Records the targets the node's storage interface attached and that are not recorded yet,
    /// the boot volume first.
    func recordAttachedVolumes(_ uuid: UUID, cause: RecordedEvent) async throws {
        guard let aggregate = try context.commands.aggregate(uuid), !aggregate.volumeTargets.isEmpty else { return }
        let task = try context.task(for: aggregate)
        guard let storage = task.driver.storage else { return }
        let targets = storage.attachedTargets(task).map(\.uuid).filter { aggregate.attachedVolumes[$0] == nil }
        guard !targets.isEmpty else { return }
        try await context.record(.attachVolumes(targets), uuid, cause: cause)
    }

    /// Records every volume attached to the node as detached for `reason`; first detaches them
    /// through the storage interface if `throughStorage` (a deploy interface's tear-down has
    /// already done so). A storage interface that fails leaves them attached, and recorded so:
    /// the undeploy that follows tries again.
    func detachVolumes(_ uuid: UUID, reason: VolumeDetachReason, throughStorage: Bool, cause: RecordedEvent?) async throws {
        guard let aggregate = try context.commands.aggregate(uuid), !aggregate.attachedVolumes.isEmpty else { return }
        if throughStorage {
            do {
                let task = try context.task(for: aggregate)
                try await task.driver.storage?.detachVolumes(task)
            } catch {
                context.logger.warning("Node \(uuid.lowercased): its volumes stay attached; detaching them failed: \(error.reason)")
                return
            }
        }
        let targets = aggregate.attachedVolumes.keys.sorted { $0.uuidString < $1.uuidString }
        try await context.record(.detachVolumes(targets, reason: reason), uuid, cause: cause)
    }
}
