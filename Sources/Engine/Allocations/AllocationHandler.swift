import Domain
import EventStore
import Foundation
import Logging
import Projections

/// Allocations, decided in the engine as Ironic's conductor decides them: create the allocation,
/// then — in the same request — find a matching node and reserve it, or record why none matched.
///
/// Reserving a node is one append across two streams: the allocation's `AllocationNodeChosen`
/// and the node's `AllocationAssigned`, each expecting the version it was decided on. Two
/// allocations racing for one node can therefore not both win: the second append finds the
/// node's stream moved, reads the node again, sees it taken, and tries its next candidate.
public struct AllocationHandler: Sendable {
    let store: LMDBEventStore
    let projections: ProjectionSet
    let commands: NodeCommandHandler
    /// How many times an append that lost a race for a stream is decided again.
    let attempts = 8

    /// The handler over the conductor's store and projections.
    init(store: LMDBEventStore, projections: ProjectionSet, commands: NodeCommandHandler) {
        self.store = store
        self.projections = projections
        self.commands = commands
    }

    /// The allocation `uuid`, if it exists.
    public func allocation(_ uuid: UUID) throws -> Allocation? { try projections.allocations.record(uuid) }

    /// The allocation named `name`, if any.
    public func allocation(named name: String) throws -> Allocation? {
        try projections.allocations.uuid(named: name).flatMap { try allocation($0) }
    }

    /// Every allocation, in no particular order.
    public func all() throws -> [Allocation] { try projections.allocations.all() }

    /// `POST /v1/allocations`: creates the allocation and allocates a node to it, returning it
    /// `active` or `error`. With `backfill` (1.58) the node is that one, which must be deployed
    /// already; a backfill that does not fit leaves the allocation in `error` and throws why.
    @discardableResult
    public func create(uuid: UUID, _ request: AllocationDecider.Request, backfill node: UUID? = nil, metadata: EventMetadata) async throws -> Allocation {
        let created = try AllocationDecider.create(uuid: uuid, request, backfilling: node != nil)
        if let name = request.name, try projections.allocations.uuid(named: name) != nil {
            throw DomainError.duplicateResourceName(kind: AllocationRecords.kindName, name: name)
        }
        let taken = DomainError.resourceAlreadyExists(kind: AllocationRecords.kindName, id: uuid)
        if try projections.allocations.record(uuid) != nil { throw taken }
        try await appender.create(stream: AllocationStream.id(uuid), events: ProposedEvent.records(created, metadata),
                                  condition: request.name.map { RecordNameCondition(projections.allocations, record: uuid, name: $0) }, taken: taken)
        if let node {
            try await backfill(uuid, node: node, metadata: metadata)
        } else {
            try await allocate(uuid, metadata: metadata)
        }
        return try allocation(uuid) ?? { throw DomainError.resourceNotFound(kind: "Allocation", id: uuid.lowercased) }()
    }

    /// Allocates every allocation a previous run left `allocating` (it stopped between creating
    /// one and reserving its node), as Ironic's conductor does at start-up. Recorded as the
    /// conductor's work.
    func resumeUnfinished(logger: Logger) async {
        do {
            for allocation in try all() where allocation.state == .allocating {
                try await allocate(allocation.uuid, metadata: EventMetadata(actor: "conductor"))
            }
        } catch {
            logger.error("Resuming unfinished allocations failed: \(error)")
        }
    }

    /// Finds and reserves a node (Ironic's `do_allocate`), or records the failure.
    func allocate(_ uuid: UUID, metadata: EventMetadata) async throws {
        guard let current = try projections.allocations.record(uuid) else { return }
        let nodes = try store.read { try NodeStore.all(in: $0, tables: projections.nodes.tables) }.filter { !$0.deleted }.map(\.node)
        var generator = SystemRandomNumberGenerator()
        let candidates: [Node]
        switch AllocationMatching.candidates(for: current, among: nodes, using: &generator) {
        case .failure(let failure):
            return try await recordFailure(uuid, failure, metadata: metadata)
        case .success(let found):
            candidates = found
        }
        for candidate in candidates {
            for _ in 1...attempts {
                guard let versioned = try projections.allocations.versioned(uuid), versioned.record.state == .allocating else { return }
                guard let aggregate = try commands.aggregate(candidate.uuid), !aggregate.deleted,
                      !NodeReservation.isBusy(aggregate.node),
                      let nodeEvents = try? NodeDecider.decide(aggregate, .assignAllocation(versioned.record, backfill: false)),
                      !nodeEvents.isEmpty else { break }
                let allocationEvents = try AllocationDecider.choose(versioned.record, node: candidate.uuid)
                if try await reserve(uuid, version: versioned.version, allocationEvents, node: aggregate, nodeEvents, metadata: metadata) { return }
            }
        }
        try await recordFailure(uuid, AllocationFailure(allocation: uuid, reason: "all nodes were filtered out during reservation"), metadata: metadata)
    }

    /// Records the allocation of a node that is already deployed (Ironic's backfilling).
    func backfill(_ uuid: UUID, node: UUID, metadata: EventMetadata) async throws {
        let busy = "Node \(node.lowercased) is changing too quickly to backfill allocation \(uuid.lowercased); retry it."
        var refusal: (any Error)?
        try await appender.run(busy: busy) { () throws -> OptimisticAppend.Decision<Void> in
            guard let versioned = try projections.allocations.versioned(uuid) else { return .unchanged(()) }
            guard let aggregate = try commands.aggregate(node), !aggregate.deleted else {
                throw DomainError.nodeNotFound(node.lowercased)
            }
            let nodeEvents: [NodeEvent]
            do {
                nodeEvents = try NodeDecider.decide(aggregate, .assignAllocation(versioned.record, backfill: true))
            } catch {
                refusal = error
                return .unchanged(())
            }
            let allocationEvents = try AllocationDecider.choose(versioned.record, node: node)
            return .append(try reservation(uuid, version: versioned.version, allocationEvents, node: aggregate, nodeEvents, metadata: metadata)) {}
        }
        if let refusal {
            try await recordFailure(uuid, AllocationFailure(allocation: uuid, reason: "\(refusal)"), metadata: metadata, raw: true)
            throw refusal
        }
    }

    /// Appends the allocation's and the node's events together, each at the version decided on;
    /// `false` if either stream moved meanwhile.
    private func reserve(_ uuid: UUID, version: UInt64, _ allocationEvents: [AllocationEvent], node: NodeAggregate,
                         _ nodeEvents: [NodeEvent], metadata: EventMetadata) async throws -> Bool {
        do {
            _ = try await store.append(try reservation(uuid, version: version, allocationEvents, node: node, nodeEvents, metadata: metadata))
            return true
        } catch EventStoreError.wrongExpectedVersion {
            return false
        }
    }

    /// The allocation's and the node's events, each stream expected at the version decided on.
    private func reservation(_ uuid: UUID, version: UInt64, _ allocationEvents: [AllocationEvent], node: NodeAggregate,
                             _ nodeEvents: [NodeEvent], metadata: EventMetadata) throws -> [StreamAppend] {
        [
            try StreamAppend(streamID: AllocationStream.id(uuid), expectedVersion: .exact(version), events: ProposedEvent.records(allocationEvents, metadata)),
            try StreamAppend(streamID: NodeStream.id(node.uuid), expectedVersion: .exact(node.version), events: NodeCommandHandler.proposed(nodeEvents, metadata)),
        ]
    }

    private func recordFailure(_ uuid: UUID, _ failure: AllocationFailure, metadata: EventMetadata, raw: Bool = false) async throws {
        for _ in 1...attempts {
            // Another worker may have settled it meanwhile (a resumed allocation races its request).
            guard let versioned = try projections.allocations.versioned(uuid), versioned.record.state == .allocating else { return }
            let events: [AllocationEvent] = raw ? [.allocationFailed(error: failure.reason)] : AllocationDecider.fail(versioned.record, failure)
            let append = try StreamAppend(streamID: AllocationStream.id(uuid), expectedVersion: .exact(versioned.version), events: ProposedEvent.records(events, metadata))
            do {
                _ = try await store.append([append])
                return
            } catch EventStoreError.wrongExpectedVersion {
                continue
            }
        }
    }

    /// `PATCH /v1/allocations/{id}` (1.57).
    public func update(_ uuid: UUID, patch: JSONValue, metadata: EventMetadata) async throws -> Allocation {
        try await appender.run(busy: "Allocation \(uuid.lowercased) is changing too quickly to apply this request; retry it.") {
            guard let versioned = try projections.allocations.versioned(uuid) else { throw notFound(uuid) }
            let events = try AllocationDecider.update(versioned.record, patch: patch)
            guard !events.isEmpty else { return .unchanged(versioned.record) }
            var condition: (any AppendCondition)?
            if case .allocationUpdated(let changes) = events[0], case .string(let name)? = changes["name"] {
                if let owner = try projections.allocations.uuid(named: name), owner != uuid {
                    throw DomainError.duplicateResourceName(kind: AllocationRecords.kindName, name: name)
                }
                condition = RecordNameCondition(projections.allocations, record: uuid, name: name)
            }
            let append = try StreamAppend(streamID: AllocationStream.id(uuid), expectedVersion: .exact(versioned.version), events: ProposedEvent.records(events, metadata))
            return .append([append], condition: condition) { try allocation(uuid) ?? versioned.record }
        }
    }

    /// `DELETE /v1/allocations/{id}` and `DELETE /v1/nodes/{id}/allocation`: refused while the
    /// node it holds is busy; otherwise the allocation is deleted and its node released
    /// (`allocation_uuid` and `instance_uuid` cleared) in one append.
    public func delete(_ uuid: UUID, metadata: EventMetadata) async throws {
        try await appender.run(busy: "Allocation \(uuid.lowercased) is changing too quickly to delete it; retry it.") {
            guard let versioned = try projections.allocations.versioned(uuid) else { throw notFound(uuid) }
            var holder: NodeAggregate?
            if let node = versioned.record.nodeUUID, let aggregate = try commands.aggregate(node), !aggregate.deleted,
               aggregate.node.allocationUUID == uuid {
                holder = aggregate
            }
            let events = try AllocationDecider.delete(versioned.record, node: holder?.node)
            var appends = [try StreamAppend(streamID: AllocationStream.id(uuid), expectedVersion: .exact(versioned.version), events: ProposedEvent.records(events, metadata))]
            if let holder {
                let released = try NodeDecider.decide(holder, .releaseAllocation(uuid))
                appends.append(try StreamAppend(streamID: NodeStream.id(holder.uuid), expectedVersion: .exact(holder.version),
                                                events: NodeCommandHandler.proposed(released, metadata)))
            }
            return .append(appends) {}
        }
    }

    private var appender: OptimisticAppend { OptimisticAppend(store: store, attempts: attempts) }

    private func notFound(_ uuid: UUID) -> DomainError { .resourceNotFound(kind: "Allocation", id: uuid.lowercased) }
}

extension Conductor {
    /// Where allocations are created, decided and deleted.
    public var allocations: AllocationHandler {
        AllocationHandler(store: store, projections: projections, commands: commands)
    }
}
