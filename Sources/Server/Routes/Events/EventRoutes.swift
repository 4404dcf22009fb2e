import Domain
import Engine
import EventStore
import Foundation
import Hummingbird
import Projections

/// Ironlog extensions over the log itself, served at every microversion:
/// `GET /v1/events` (the log, paged by position) and `GET /v1/nodes/{node_ident}/history[/{event_id}]`
/// (a node's complete history, every event of its stream).
struct EventRoutes {
    let api: NodeAPI

    /// The page size when none is asked for.
    static let defaultLimit = 100
    /// The largest page.
    static let maximumLimit = 1000

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/events", .get) { request, context in try list(request, context) }
        table.on("/nodes/:node_ident/history", .get) { request, context in try history(request, context) }
        table.on("/nodes/:node_ident/history/:event_id", .get) { request, context in try historyRecord(request, context) }
    }

    /// A positive page size no larger than `maximumLimit`, `defaultLimit` when not given.
    static func limit(_ request: Request) throws -> Int {
        guard let given = request.uri.queryParameters["limit"] else { return defaultLimit }
        guard let limit = Int(String(given)), limit > 0 else {
            throw IronicError.badRequest("Invalid limit \"\(given)\": it must be a positive integer.")
        }
        guard limit <= maximumLimit else {
            throw IronicError.badRequest("Invalid limit \(limit): it must be at most \(maximumLimit).")
        }
        return limit
    }

    /// `GET /v1/events?after=&limit=&stream=&type=`.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["after", "limit", "stream", "type"])
        let query = request.uri.queryParameters
        var after: UInt64 = 0
        if let given = query["after"] {
            guard let parsed = UInt64(String(given)) else {
                throw IronicError.badRequest("Invalid after \"\(given)\": it must be a log position (a non-negative integer).")
            }
            after = parsed
        }
        let limit = try Self.limit(request)
        let stream = query["stream"].map(String.init), type = query["type"].map(String.init)
        if stream?.isEmpty == true { throw IronicError.badRequest("The \"stream\" parameter can not be empty.") }
        if type?.isEmpty == true { throw IronicError.badRequest("The \"type\" parameter can not be empty.") }
        let store = api.conductor.store
        var page: [RecordedEvent] = []
        var more = false
        if let stream {
            let events: [RecordedEvent]
            do {
                events = try store.events(ofStream: stream)
            } catch EventStoreError.invalidStreamID(_, let reason) {
                // No stream could have this id (too long, or a NUL in it): the log's rule, not a failure.
                throw IronicError.badRequest("Invalid stream \"\(stream)\": \(reason).")
            }
            for event in events where event.position > after && (type == nil || event.type == type) {
                if page.count == limit { more = true; break }
                page.append(event)
            }
        } else if let type {
            // The history index finds a type's events without reading the rest of the log.
            guard after < UInt64.max else { return try JSONBody(value: .object(["events": .array([])])).response(from: request, context: context) }
            var matching = HistoryQuery()
            matching.type = type
            matching.positions = (after + 1)...UInt64.max
            matching.limit = limit + 1
            page = try api.conductor.projections.history.events(matching: matching)
            more = page.count > limit
            page = Array(page.prefix(limit))
        } else {
            let head = try store.currentHead().position
            if after < head {
                try store.scan(from: after + 1, through: head) { event in
                    if page.count == limit { more = true; return false }
                    page.append(event)
                    return true
                }
            }
        }
        var document: [String: JSONValue] = ["events": .array(page.map(EventRepresentation.document))]
        if more, let last = page.last {
            var parameters = ["after=\(last.position)", "limit=\(limit)"]
            if let stream { parameters.append("stream=\(Self.escape(stream))") }
            if let type { parameters.append("type=\(Self.escape(type))") }
            document["next"] = .string("\(api.baseURL(request))/v1/events?" + parameters.joined(separator: "&"))
        }
        return try JSONBody(value: .object(document)).response(from: request, context: context)
    }

    /// A query value escaped for a link.
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// The node the route names, even one since deleted (its history stays in the log).
    func nodeStream(_ context: IronlogRequestContext) throws -> (uuid: UUID, events: [RecordedEvent]) {
        let ident = try context.parameters.require("node_ident")
        let uuid: UUID
        if case .uuid(let parsed)? = Identifier.parse(ident) {
            uuid = parsed
        } else {
            uuid = try api.lookup.node(ident: ident, version: context.apiVersion).uuid
        }
        let events = try api.conductor.store.events(ofStream: NodeStream.id(uuid))
        guard !events.isEmpty else { throw DomainError.nodeNotFound(ident) }
        return (uuid, events)
    }

    /// `GET /v1/nodes/{node_ident}/history?limit=&marker=&detail=`.
    func history(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["limit", "marker", "detail"])
        let (uuid, events) = try nodeStream(context)
        let query = request.uri.queryParameters
        var remaining = events[...]
        if let marker = query["marker"] {
            guard let id = UUID(uuidString: String(marker)) else {
                throw IronicError.badRequest("Invalid marker \"\(marker)\": it must be an event UUID.")
            }
            guard let index = events.firstIndex(where: { $0.eventID == id }) else {
                throw IronicError.badRequest("Marker \(marker) is not an event of this node.")
            }
            remaining = events[(index + 1)...]
        }
        var detail = false
        if let given = query["detail"] {
            switch String(given).lowercased() {
            case "true", "1", "yes", "on": detail = true
            case "false", "0", "no", "off": detail = false
            default: throw IronicError.badRequest("Invalid detail \"\(given)\": it must be a boolean.")
            }
        }
        let limit = query["limit"] == nil ? Int.max : try Self.limit(request)
        let page = remaining.prefix(limit)
        let node = uuid.uuidString.lowercased(), base = api.baseURL(request)
        let trail = HistoryStateTrail(events), version = context.apiVersion
        let host = api.conductor.commands.reservation.host
        var document: [String: JSONValue] = [
            "history": .array(page.map {
                EventRepresentation.historyRecord($0, baseURL: base, node: node, conductor: host, fullPayload: detail,
                                                  version: version, standing: trail[$0.eventID])
            }),
        ]
        if page.count < remaining.count, let last = page.last {
            var link = "\(base)/v1/nodes/\(node)/history?limit=\(limit)&marker=\(last.eventID.uuidString.lowercased())"
            if detail { link += "&detail=True" }
            document["next"] = .string(link)
        }
        return try JSONBody(value: .object(document)).response(from: request, context: context)
    }

    /// `GET /v1/nodes/{node_ident}/history/{event_id}`: one record, with its payload.
    func historyRecord(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let (uuid, events) = try nodeStream(context)
        let given = try context.parameters.require("event_id")
        guard let id = UUID(uuidString: given), let event = events.first(where: { $0.eventID == id }) else {
            throw IronicError.notFound("Event \(given) of node \(uuid.uuidString.lowercased()) could not be found.")
        }
        let record = EventRepresentation.historyRecord(event, baseURL: api.baseURL(request), node: uuid.uuidString.lowercased(),
                                                       conductor: api.conductor.commands.reservation.host, fullPayload: true,
                                                       version: context.apiVersion, standing: HistoryStateTrail(events)[id])
        return try JSONBody(value: record).response(from: request, context: context)
    }
}
