import Hummingbird
import NIOCore

/// Cross-origin resource sharing for browser clients, on Hummingbird's `CORSMiddleware`, with the
/// headers Ironic's clients send and read.
///
/// - Allowed origins are a list, or `*` for any. A request from another origin is served without
///   CORS headers (the browser then withholds the response), as oslo.middleware's cors does.
/// - A preflight (`OPTIONS` with `Origin`) from an allowed origin is answered here, before
///   authentication: browsers send no credentials on a preflight.
/// - Allowed request headers: the microversion headers, `Content-Type`, `Authorization`,
///   `X-Openstack-Request-Id` and `Last-Event-ID` (the event stream's resume point).
/// - Exposed response headers: the microversion headers, `Openstack-Request-Id` and its 1.107
///   mirror `X-OpenStack-Request-Id`, on every response (Hummingbird's middleware names them on
///   the preflight only; a browser reads them from the actual response).
/// - Credentials are allowed for listed origins, never for `*` (browsers refuse that pairing).
struct CrossOriginMiddleware: RouterMiddleware {
    typealias Context = IronlogRequestContext

    /// The request headers a preflight allows.
    static let allowedHeaders: [HTTPFields.Element.Name] = [
        VersionNegotiation.standardHeader, VersionNegotiation.legacyHeader, .contentType, .authorization,
        HTTPFields.Element.Name("X-Openstack-Request-Id")!, HTTPFields.Element.Name("Last-Event-ID")!, .accept,
    ]
    /// The response headers a browser may read.
    static let exposedHeaders = [
        VersionNegotiation.standardHeader, VersionNegotiation.legacyHeader, VersionNegotiation.minimumHeader,
        VersionNegotiation.maximumHeader, RequestIDMiddleware.headerName, APIVersionMiddleware.requestIDMirrorHeader,
    ].map(\.canonicalName)
    /// The methods a preflight allows.
    static let allowedMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]

    private let origins: Set<String>
    private let anyOrigin: Bool
    private let cors: CORSMiddleware<Context>

    /// Allows `origins`; `*` among them allows any origin.
    init(origins: [String]) {
        self.anyOrigin = origins.contains("*")
        self.origins = Set(origins.map { Self.normalized($0) })
        self.cors = CORSMiddleware(
            allowOrigin: anyOrigin ? .all : .originBased,
            allowHeaders: Self.allowedHeaders,
            allowMethods: Self.allowedMethods,
            allowCredentials: !anyOrigin,
            exposedHeaders: Self.exposedHeaders,
            maxAge: .seconds(3600)
        )
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], anyOrigin || origins.contains(Self.normalized(origin)) else {
            var response = try await next(request, context)
            if !anyOrigin, request.headers[.origin] != nil { response.headers[values: .vary].append("Origin") }
            return response
        }
        var response = try await cors.handle(request, context: context, next: next)
        if request.method != .options {
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders.joined(separator: ", ")
        }
        return response
    }

    /// Origins compare without case and without a trailing slash.
    private static func normalized(_ origin: String) -> String {
        var origin = origin.lowercased()
        while origin.hasSuffix("/") { origin.removeLast() }
        return origin
    }
}
