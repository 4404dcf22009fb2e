/// One operation a ``RouteTable`` serves: a method on a path pattern, as registered.
struct RegisteredRoute: Hashable, Sendable, CustomStringConvertible {
    /// The HTTP method, e.g. `GET`.
    let method: String
    /// The path pattern in Hummingbird's syntax, e.g. `/v1/nodes/:node_ident`.
    let path: String
    /// Whether this is the unprefixed twin of a `/v1` route (served for Ironic's `bookmark` links).
    let isAlias: Bool
    /// Whether this serves a page outside the REST API (the web UI under `/ui`), which the OpenAPI
    /// document does not describe.
    var isOutsideAPI: Bool = false

    /// The path in OpenAPI's syntax: each `:param` segment as `{param}`.
    var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    /// `GET /v1/nodes/{node_ident}`.
    var description: String { "\(method) \(openAPIPath)" }
}
