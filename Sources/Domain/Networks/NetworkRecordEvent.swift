import Foundation

/// Everything that can happen to a configured network. Case names are distinct from every other
/// stream's events (and from ``NetworkEvent``, Neutron's port events), so payloads can not be
/// mistaken for each other.
public enum NetworkRecordEvent: RecordEvent {
    /// The network was created with these fields.
    case networkCreated(network: Network)
    /// The network was deleted; its stream ends here.
    case networkDeleted

    /// The schema version of every network event's payload.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log.
    public var typeName: String {
        switch self {
        case .networkCreated: "NetworkCreated"
        case .networkDeleted: "NetworkDeleted"
        }
    }
}

/// Folds network events: pure and total.
public enum NetworkEvolution {
    /// The network after `event`, recorded at `time`; `nil` once deleted.
    public static func evolve(_ state: Network?, _ event: NetworkRecordEvent, at time: Int64) -> Network? {
        switch event {
        case .networkCreated(var network):
            network.createdAt = time
            return network
        case .networkDeleted:
            return nil
        }
    }
}
