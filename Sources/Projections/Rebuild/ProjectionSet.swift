import Domain
import EventStore
import Foundation

/// Every projection of a data directory, opened together: what the server registers inline, what
/// a rebuild clears and refills, and what a digest covers.
public struct ProjectionSet: Sendable {
    /// Node state with its unique indexes and read models.
    public let nodes: NodeStateProjection
    /// The audit indexes of the log.
    public let history: HistoryIndex
    /// Every allocation.
    public let allocations: RecordProjection<AllocationRecords>
    /// Every deploy template.
    public let deployTemplates: RecordProjection<DeployTemplateRecords>
    /// Every chassis.
    public let chassis: RecordProjection<ChassisRecords>
    /// Every configured network.
    public let networks: RecordProjection<NetworkRecords>
    /// Every managed switch.
    public let switches: RecordProjection<SwitchRecords>
    /// Every runbook.
    public let runbooks: RecordProjection<RunbookRecords>
    /// Every inspection rule.
    public let inspectionRules: RecordProjection<InspectionRuleRecords>
    /// The store the projections live in.
    public let store: LMDBEventStore

    /// Opens (creating) every projection's databases in `store`.
    public static func open(in store: LMDBEventStore) async throws -> ProjectionSet {
        let nodes = NodeStateProjection(tables: try await NodeTables.open(in: store), store: store)
        return ProjectionSet(nodes: nodes, history: try await HistoryIndex.open(in: store),
                             allocations: try await .open(in: store), deployTemplates: try await .open(in: store),
                             chassis: try await .open(in: store), networks: try await .open(in: store),
                             switches: try await .open(in: store), runbooks: try await .open(in: store),
                             inspectionRules: try await .open(in: store), store: store)
    }

    /// The projections in the order they apply, with their checkpoint names.
    public var inline: [(checkpoint: String, projection: any InlineProjection)] {
        [(NodeStateProjection.checkpointName, nodes), (HistoryIndex.checkpointName, history),
         (AllocationRecords.checkpointName, allocations), (DeployTemplateRecords.checkpointName, deployTemplates),
         (ChassisRecords.checkpointName, chassis), (NetworkRecords.checkpointName, networks),
         (SwitchRecords.checkpointName, switches), (RunbookRecords.checkpointName, runbooks),
         (InspectionRuleRecords.checkpointName, inspectionRules)]
    }

    /// Every projection database, in a fixed order.
    public var databases: [Database] { nodes.tables.all + history.all + allocations.databases + deployTemplates.databases + chassis.databases
        + networks.databases + switches.databases + runbooks.databases + inspectionRules.databases }

    /// Every checkpoint name.
    public static let checkpoints = [NodeStateProjection.checkpointName, HistoryIndex.checkpointName,
                                     AllocationRecords.checkpointName, DeployTemplateRecords.checkpointName,
                                     ChassisRecords.checkpointName, NetworkRecords.checkpointName, SwitchRecords.checkpointName,
                                     RunbookRecords.checkpointName, InspectionRuleRecords.checkpointName]

    /// The lowest checkpoint: every projection has folded the log at least up to here.
    public func checkpoint() throws -> UInt64 {
        try Self.checkpoints.map { try store.checkpoint(named: $0) }.min() ?? 0
    }

    /// Registers every projection to run inside each commit.
    public func registerInline() {
        for (_, projection) in inline { store.register(inline: projection) }
    }

    /// Brings projections that lag behind the log up to its head: after a rebuild cleared them, a
    /// restore, or an upgrade that added a projection. Inline projections never lag otherwise.
    public func catchUp(progress: ((UInt64, UInt64) -> Void)? = nil) async throws {
        let head = try store.currentHead().position
        var from = try checkpoint() + 1
        while from <= head {
            let batch = try store.events(from: from, limit: 20_000)
            guard let last = batch.last else { break }
            try await store.write { [self] txn in
                for (name, projection) in inline {
                    let done = try store.checkpoint(named: name, in: txn)
                    let pending = batch.filter { $0.position > done }
                    if !pending.isEmpty { try projection.apply(pending, in: txn) }
                }
            }
            progress?(last.position, head)
            from = last.position + 1
        }
    }
}
