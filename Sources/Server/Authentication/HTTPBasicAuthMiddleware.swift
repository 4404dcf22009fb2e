import Hummingbird

/// Requires HTTP basic credentials on every request except Ironic's public ones, and records the
/// authenticated user as the request's actor.
///
/// Public, as in Ironic: `GET /` and `GET /v1` (version discovery), and the agent's `/v1/lookup`
/// and `/v1/heartbeat/{node}`, which agent tokens protect instead. Ironlog's web UI files under
/// `/ui` are public too: they hold no data, and every API call the page makes sends credentials. Any other request without
/// valid credentials is answered 401 with Ironic's error body and
/// `WWW-Authenticate: Basic realm="Baremetal API"`. Sits below ``IronicErrorMiddleware`` so the
/// 401 has Ironic's shape, the request id and the version headers.
struct HTTPBasicAuthMiddleware: RouterMiddleware {
    /// The realm clients are challenged for, Ironic's.
    static let realm = "Baremetal API"
    /// The challenge header's value.
    static let challenge = "Basic realm=\"\(realm)\""

    let authenticator: HTTPBasicAuthenticator

    func handle(
        _ request: Request, context: IronlogRequestContext,
        next: (Request, IronlogRequestContext) async throws -> Response
    ) async throws -> Response {
        if Self.isPublic(path: request.uri.path) { return try await next(request, context) }
        guard let credentials = BasicCredentials(headers: request.headers) else {
            throw Self.unauthorized("Authentication is required: send HTTP basic credentials.")
        }
        guard await authenticator.authenticate(credentials) else {
            context.logger.notice("Refused HTTP basic credentials", metadata: ["user": "\(credentials.user)"])
            throw Self.unauthorized("Incorrect username or password.")
        }
        var context = context
        context.caller.actor = String(credentials.user.prefix(255))
        return try await next(request, context)
    }

    /// Whether `path` is served without credentials.
    static func isPublic(path: String) -> Bool {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if path == "/" || path == "/v1" { return true }
        if path == UIRoutes.prefix || path.hasPrefix(UIRoutes.prefix + "/") { return true }
        let unprefixed = path.hasPrefix("/v1/") ? String(path.dropFirst(3)) : path
        return unprefixed == "/lookup" || unprefixed.hasPrefix("/heartbeat/")
    }

    private static func unauthorized(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: challenge], message: message)
    }
}
