import EventStore
import Hummingbird

/// `GET /`: Ironic's version discovery document, with Ironlog's build and log head; and
/// `GET /v1`: the v1 document.
struct RootRoutes {
    /// The store whose head the document reports.
    let store: LMDBEventStore
    /// The bound address, used for links when a request has no `Host` header.
    let configuration: ServerConfiguration

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.onExactly("/", .get) { request, context in try root(request, context).response(from: request, context: context) }
        table.onExactly("/v1", .get) { request, context in try v1(request, context) }
    }

    /// The root document for `request`.
    func root(_ request: Request, _ context: IronlogRequestContext) throws -> RootDocument {
        let head: LogHead
        do {
            head = try store.currentHead()
        } catch {
            throw IronicError.internalError("The event log cannot be read: \(error)")
        }
        return RootDocument.current(
            baseURL: PublicBaseURL.of(request, configuration: configuration),
            logHead: head.position,
            range: context.versionRange
        )
    }

    /// The v1 document for `request`.
    func v1(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        let document = V1Document.current(baseURL: PublicBaseURL.of(request, configuration: configuration), range: context.versionRange,
                                              version: context.apiVersion)
        return try JSONBody(value: document).response(from: request, context: context)
    }
}
