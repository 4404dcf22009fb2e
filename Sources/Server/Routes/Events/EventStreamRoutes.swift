import Domain
import EventStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// `GET /v1/events/stream` (an Ironlog extension, at every microversion): the log as server-sent
/// events — the events after `Last-Event-ID` (or `?after=`) first, then each new one as it is
/// appended. Each is `id: <position>`, `event: <type>` and `data: <the /v1/events document>`.
/// `?stream=` and `?type=` narrow it; `?limit=N` ends the response after N events.
struct EventStreamRoutes {
    let api: NodeAPI

    /// The header a reconnecting client names its last event with.
    static let lastEventID = HTTPFields.Element.Name("Last-Event-ID")!

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/events/stream", .get) { request, context in try stream(request, context) }
    }

    /// One event as a server-sent event.
    static func message(_ event: RecordedEvent) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(EventRepresentation.document(event))
        return ByteBuffer(string: "id: \(event.position)\nevent: \(event.type)\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
    }

    func stream(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["after", "limit", "stream", "type"])
        let query = request.uri.queryParameters
        var after: UInt64 = 0
        if let given = request.headers[Self.lastEventID] {
            guard let parsed = UInt64(given.trimmingCharacters(in: .whitespaces)) else {
                throw IronicError.badRequest("Invalid Last-Event-ID \"\(given)\": it must be a log position.")
            }
            after = parsed
        } else if let given = query["after"] {
            guard let parsed = UInt64(String(given)) else {
                throw IronicError.badRequest("Invalid after \"\(given)\": it must be a log position (a non-negative integer).")
            }
            after = parsed
        }
        var limit = Int.max
        if query["limit"] != nil {
            guard let given = Int(String(query["limit"]!)), given > 0 else {
                throw IronicError.badRequest("Invalid limit \"\(query["limit"]!)\": it must be a positive integer.")
            }
            limit = given
        }
        let stream = query["stream"].map(String.init), type = query["type"].map(String.init)
        if stream?.isEmpty == true { throw IronicError.badRequest("The \"stream\" parameter can not be empty.") }
        if type?.isEmpty == true { throw IronicError.badRequest("The \"type\" parameter can not be empty.") }
        guard after < UInt64.max else { throw IronicError.badRequest("Invalid after: it is past any position.") }
        let subscription = api.conductor.store.subscribe(from: after + 1), count = limit
        let body = ResponseBody { writer in
            var sent = 0
            // A graceful shutdown (SIGTERM) ends the stream: otherwise the server would wait for
            // ever on a response waiting for events that may never come.
            for try await event in subscription.cancelOnGracefulShutdown() {
                if let stream, event.streamID != stream { continue }
                if let type, event.type != type { continue }
                try await writer.write(Self.message(event))
                sent += 1
                if sent >= count { break }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
