import EventStore
import Hummingbird

/// `GET /`: Ironic's version discovery document, with Ironlog's build and log head.
struct RootRoutes {
    /// The store whose head the document reports.
    let store: LMDBEventStore
    /// The bound address, used for links when a request has no `Host` header.
    let configuration: ServerConfiguration

    /// Adds the routes to `router`.
    func register(on router: Router<IronlogRequestContext>) {
        router.get("/") { request, _ in try root(request) }
    }

    /// The root document for `request`.
    func root(_ request: Request) throws -> RootDocument {
        let head: LogHead
        do {
            head = try store.currentHead()
        } catch {
            throw IronicError.internalError("The event log cannot be read: \(error)")
        }
        return RootDocument.current(
            baseURL: PublicBaseURL.of(request, configuration: configuration),
            logHead: head.position
        )
    }
}
