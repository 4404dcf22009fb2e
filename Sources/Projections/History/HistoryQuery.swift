import Domain
import EventStore
import Foundation

/// A question to the log: which events, about what, by whom, when.
public struct HistoryQuery: Sendable {
    /// Only events of this node.
    public var node: UUID?
    /// Only events of this type, e.g. `ProvisionStateChanged`.
    public var type: String?
    /// Only events caused by this user or service.
    public var actor: String?
    /// Only events caused for this project.
    public var project: String?
    /// Only events caused by this API request.
    public var requestID: String?
    /// Only events recorded at or after this time (µs since 1970).
    public var since: Int64?
    /// Only events recorded at or before this time.
    public var until: Int64?
    /// Only events in this position range.
    public var positions: ClosedRange<UInt64> = 1...UInt64.max
    /// At most this many events.
    public var limit = Int.max

    /// A query that matches every event; set the fields to narrow it.
    public init() {}
}

extension HistoryIndex {
    /// The events matching `query`, in log order: the most selective index gives candidates, the
    /// other criteria filter them.
    public func events(matching query: HistoryQuery) throws -> [RecordedEvent] {
        var low = query.positions.lowerBound, high = query.positions.upperBound
        if let since = query.since { low = max(low, try firstPosition(recordedAtOrAfter: since)) }
        if let until = query.until {
            let after = try firstPosition(recordedAtOrAfter: until + 1)
            guard after > 1 else { return [] }
            high = min(high, after - 1)
        }
        guard low <= high else { return [] }
        let range = low...high
        let indexed: [(Dimension, String)] = [
            query.requestID.map { (.request, $0) }, query.actor.map { (.actor, $0) },
            query.project.map { (.project, $0) }, query.type.map { (.type, $0) },
        ].compactMap { $0 }
        var result: [RecordedEvent] = []
        func matches(_ event: RecordedEvent) -> Bool {
            (query.node == nil || NodeStream.node(of: event.streamID) == query.node)
                && (query.type == nil || event.type == query.type)
                && (query.actor == nil || event.metadata.actor == query.actor)
                && (query.project == nil || event.metadata.project == query.project)
                && (query.requestID == nil || event.metadata.requestID == query.requestID)
        }
        if let request = query.requestID {
            // A request touches few events: its index is the narrowest way in.
            for position in try positions(.request, request, in: range) {
                guard let event = try store.event(at: position), matches(event) else { continue }
                result.append(event)
                if result.count >= query.limit { break }
            }
        } else if let node = query.node {
            // A node's events are its stream.
            for event in try store.events(ofStream: NodeStream.id(node)) where range.contains(event.position) && matches(event) {
                result.append(event)
                if result.count >= query.limit { break }
            }
        } else if let (dimension, value) = indexed.first {
            for position in try positions(dimension, value, in: range) {
                guard let event = try store.event(at: position), matches(event) else { continue }
                result.append(event)
                if result.count >= query.limit { break }
            }
        } else {
            try store.scan(from: range.lowerBound, through: range.upperBound) { event in
                if matches(event) { result.append(event) }
                return result.count < query.limit
            }
        }
        return result
    }

    /// The first position recorded at or after `time` (head + 1 if none).
    public func firstPosition(recordedAtOrAfter time: Int64) throws -> UInt64 {
        try AsOf.position(atTime: time - 1, in: store) + 1
    }
}
