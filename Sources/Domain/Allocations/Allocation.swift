import Foundation

/// A request to find a node and reserve it for deployment (Ironic's allocation, API 1.52).
///
/// An allocation names what it needs — a resource class, traits, optionally a list of candidate
/// nodes and an owner — and the engine picks an `available` node that matches, sets the node's
/// `allocation_uuid` and `instance_uuid`, and marks the allocation `active`; or marks it `error`
/// with `last_error` when none does. Its life is the stream `allocation/<uuid>`.
///
/// Field names follow Ironic's wire names through `CodingKeys`, so the stored form is the
/// document clients read (without links). Timestamps are microseconds since 1970.
public struct Allocation: Sendable, Hashable, Codable {
    public var uuid: UUID
    public var name: String?
    /// The resource class a node must have (required unless backfilling).
    public var resourceClass: String?
    /// Traits a node must all have; set on the node's `instance_info.traits` when allocated.
    public var traits: [String] = []
    /// If not empty, the node must be one of these (resolved to UUIDs, in the order given).
    public var candidateNodes: [UUID] = []
    public var extra: JSONValue = .emptyObject
    /// The project the allocation belongs to (1.60); a node must be owned or leased by it.
    public var owner: String?
    public var state: AllocationState = .allocating
    /// The node chosen, once `active`.
    public var nodeUUID: UUID?
    public var lastError: String?
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// A new allocation, `allocating`.
    public init(uuid: UUID) { self.uuid = uuid }

    enum CodingKeys: String, CodingKey {
        case uuid, name
        case resourceClass = "resource_class"
        case traits
        case candidateNodes = "candidate_nodes"
        case extra, owner, state
        case nodeUUID = "node_uuid"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// The states of an allocation, with Ironic's names.
public enum AllocationState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Looking for a node.
    case allocating
    /// A node was reserved (`node_uuid` is set).
    case active
    /// No node could be reserved (`last_error` says why).
    case error
}

/// The stream of an allocation and back.
public enum AllocationStream {
    /// The prefix of every allocation stream.
    public static let prefix = "allocation/"

    /// `allocation/<uuid>`.
    public static func id(_ uuid: UUID) -> String { prefix + uuid.lowercased }

    /// The allocation UUID of a stream id, if it is an allocation stream.
    public static func allocation(of streamID: String) -> UUID? {
        guard streamID.hasPrefix(prefix) else { return nil }
        return UUID(canonical: streamID.dropFirst(prefix.count))
    }
}
