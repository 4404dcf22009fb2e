import Domain
import EventStore
import Foundation
import Logging

/// Runs the inspection rules on a node whose inspection data was just recorded, as Ironic's
/// conductor does before inspection ends: ``InspectionRulePlan`` decides what the rules do, and
/// each action becomes the node's event — a field, trait, port or plugin data change — caused by
/// the recorded inspection and attributed to its rule (`inspection-rule/<uuid>` as the actor).
struct InspectionRuleApplier {
    let commands: NodeCommandHandler
    let logger: Logger

    /// Applies every rule to `node`; `cause` is the inspection's event. Returns the message of a
    /// `fail` action, which fails the inspection; `nil` when inspection may end.
    func apply(to node: UUID, cause: RecordedEvent?) async throws -> String? {
        let rules = try commands.projections.inspectionRules.all()
        guard !rules.isEmpty, let aggregate = try commands.aggregate(node), !aggregate.deleted else { return nil }
        let plan = InspectionRulePlan(rules: rules, node: aggregate.node, ports: Array(aggregate.ports.values),
                                      inventory: aggregate.inventory ?? .emptyObject, pluginData: aggregate.pluginData ?? .emptyObject)
        for step in plan.steps {
            let command: NodeCommand
            switch step.effect {
            case .updateNode(let patch): command = .applyInspectionRulePatch(patch)
            case .addTrait(let trait): command = .addTrait(trait)
            case .removeTrait(let trait):
                guard try commands.aggregate(node)?.node.traits.contains(trait) == true else { continue }
                command = .removeTrait(trait)
            case .updatePort(let port, let patch): command = .updatePort(uuid: port, patch: patch)
            case .setPluginData(let data): command = .recordInspectionPluginData(data)
            case .log(let level, let message):
                logger.log(level: Logger.Level(rawValue: level) ?? .info, "Inspection rule \(step.rule.lowercased) on node \(node.lowercased): \(message)")
                continue
            case .fail(let message):
                return message
            case .skipped(let reason):
                logger.warning("Inspection rule \(step.rule.lowercased), action \(step.op), on node \(node.lowercased) did not apply: \(reason)")
                continue
            }
            let metadata = EventMetadata(actor: "inspection-rule/\(step.rule.lowercased)", correlationID: cause.map { $0.metadata.correlationID ?? $0.eventID },
                                         causationID: cause?.eventID)
            do {
                try await commands.handle(command, node: node, metadata: metadata, origin: .engine)
            } catch let error as DomainError {
                logger.warning("Inspection rule \(step.rule.lowercased), action \(step.op), on node \(node.lowercased) was refused: \(error)")
            }
        }
        return nil
    }

    /// The event an outcome appended first (the recorded inspection), read back from the log.
    static func firstEvent(of outcome: NodeCommandHandler.Outcome, in store: LMDBEventStore) throws -> RecordedEvent? {
        guard let position = outcome.positions.first else { return nil }
        return try store.events(from: position, limit: 1).first
    }
}
