import Hummingbird

/// Registers Ironic's routes on the router, each under `/v1` and — because Ironic routes paths
/// without the prefix to v1, which its `bookmark` links rely on — without it too; then answers a
/// known path asked with another method with 405 Method Not Allowed and an `Allow` header, where
/// the router alone would answer 404.
final class RouteTable {
    /// What a route does with a request.
    typealias Handler = @Sendable (Request, IronlogRequestContext) async throws -> Response

    /// The methods the 405 answer covers.
    static let methods: [HTTPRequest.Method] = [.get, .put, .post, .patch, .delete]

    private let router: Router<IronlogRequestContext>
    private var registered: [(path: String, methods: [HTTPRequest.Method])] = []
    /// Every operation served, in registration order (the 405 answers of ``finish()`` are not
    /// operations and are not listed).
    private(set) var routes: [RegisteredRoute] = []

    /// A table adding routes to `router`.
    init(router: Router<IronlogRequestContext>) {
        self.router = router
    }

    /// Serves `method` on `path` (a v1 path without its prefix, e.g. `/nodes/:node_ident`).
    func on(_ path: String, _ method: HTTPRequest.Method, handler: @escaping Handler) {
        for full in ["/v1" + path, path] {
            router.on(RouterPath(full), method: method) { request, context in
                var context = context
                LegacyJSONSuffix.apply(to: &context, path: request.uri.path, version: context.apiVersion)
                return try await handler(request, context)
            }
            routes.append(RegisteredRoute(method: method.rawValue, path: full, isAlias: full == path))
            if let index = registered.firstIndex(where: { $0.path == full }) {
                registered[index].methods.append(method)
            } else {
                registered.append((full, [method]))
            }
        }
    }

    /// Serves `method` on exactly `path`, with no unprefixed twin (for `/v1` itself).
    func onExactly(_ path: String, _ method: HTTPRequest.Method, handler: @escaping Handler) {
        router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
        routes.append(RegisteredRoute(method: method.rawValue, path: path, isAlias: false))
        registered.append((path, [method]))
    }

    /// Serves `method` on exactly `path`, a page outside the REST API (the web UI): no `/v1` twin,
    /// and listed as ``RegisteredRoute/isOutsideAPI`` so the OpenAPI document's check leaves it out.
    func onOutsideAPI(_ path: String, _ method: HTTPRequest.Method, handler: @escaping Handler) {
        router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
        routes.append(RegisteredRoute(method: method.rawValue, path: path, isAlias: false, isOutsideAPI: true))
        registered.append((path, [method]))
    }

    /// Adds the 405 answers for every registered path; call once, after the last route.
    func finish() {
        for (path, allowed) in registered {
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in Self.methods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw HTTPError(.methodNotAllowed, headers: [.allow: allow])
                }
            }
        }
    }
}
