import Domain
import Drivers
import Foundation

/// What the API asks of the conductor about a node's volumes and network boot.
extension Conductor {
    /// Ironic's check before it accepts a deploy or rebuild: the node's storage interface accepts
    /// its volume connectors and targets (boot from volume needs them to fit together). Refused
    /// with 400 (InvalidParameterValue), Ironic's words, so a bad volume set-up is told to the
    /// caller rather than found later as `deploy failed`. Nothing is checked if `verb` would not
    /// move the node or the node is in maintenance (the decision refuses it with its own error).
    public func checkVolumes(_ uuid: UUID, before verb: ProvisionVerb) throws {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted, !aggregate.node.maintenance, !aggregate.volumeTargets.isEmpty,
              ProvisionStateMachine.next(from: aggregate.node.provisionState, on: verb.event) != nil,
              let task = try? context.task(for: aggregate) else { return }
        do {
            try task.driver.storage?.validate(task)
        } catch {
            throw DomainError.invalidParameter("Failed to validate deploy or power info for node \(uuid.lowercased). Error: \(error.message)")
        }
    }

    /// The iPXE script the node boots now (see ``NetworkBoot/currentIPXEScript(of:)``), or
    /// `nil` if its boot interface is not `ipxe` or it boots nothing from the network now.
    public func ipxeScript(of uuid: UUID) throws -> String? {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        guard let boot = try? drivers.resolve(aggregate.node).boot as? NetworkBoot else { return nil }
        return boot.currentIPXEScript(of: uuid)
    }
}
