import Domain
import EventStore
import Foundation
import Projections

extension NodeCommandHandler {
    /// The appends that delete the allocations `events` release: a node deleted, torn down, or
    /// stripped of its `instance_uuid` takes its allocation with it, as Ironic's does. Each
    /// expects the allocation's current version, so a concurrent change makes the command decide
    /// again.
    func allocationsReleased(by events: [NodeEvent], node: UUID, metadata: EventMetadata) throws -> [StreamAppend] {
        try events.compactMap { event -> StreamAppend? in
            guard case .allocationReleased(let allocation) = event,
                  let versioned = try projections.allocations.versioned(allocation) else { return nil }
            let deleted = AllocationEvent.allocationDeleted(node: node)
            return StreamAppend(
                streamID: AllocationStream.id(allocation), expectedVersion: .exact(versioned.version),
                events: [ProposedEvent(type: deleted.typeName, schemaVersion: AllocationEvent.schemaVersion, metadata: metadata,
                                       payload: try deleted.encodedPayload())]
            )
        }
    }

    /// Node events as proposed envelopes with `metadata` (for appends that span a node's stream
    /// and another).
    static func proposed(_ events: [NodeEvent], _ metadata: EventMetadata) throws -> [ProposedEvent] {
        try events.map { ProposedEvent(type: $0.typeName, schemaVersion: NodeEvent.schemaVersion, metadata: metadata, payload: try $0.encodedPayload()) }
    }
}
