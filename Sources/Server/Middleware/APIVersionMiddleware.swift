import Hummingbird

/// Negotiates each request's microversion (see ``VersionNegotiation``), stores it in
/// ``IronlogRequestContext/apiVersion``, and stamps the version headers on every response —
/// errors and not-found answers included, as long as ``IronicErrorMiddleware`` sits below it.
///
/// A request asking for a version outside the range is answered here with Ironic's 406, carrying
/// the minimum and maximum headers clients negotiate from.
public struct APIVersionMiddleware: RouterMiddleware {
    /// The range negotiated within.
    public let range: VersionRange

    /// `X-OpenStack-Request-Id`, the mirror of `Openstack-Request-Id` Ironic adds from 1.107
    /// (oslo.middleware's spelling, which some clients read instead).
    public static let requestIDMirrorHeader = HTTPFields.Element.Name("X-OpenStack-Request-Id")!
    /// The microversion that adds ``requestIDMirrorHeader``.
    public static let requestIDMirrorMinor = 107

    /// Creates the middleware for `range`.
    public init(range: VersionRange = APIVersion.served) {
        self.range = range
    }

    /// Negotiates, runs the rest of the chain, and stamps the headers on its response.
    public func handle(
        _ request: Request, context: IronlogRequestContext,
        next: (Request, IronlogRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let version: MicroVersion
        do {
            version = try VersionNegotiation.negotiate(request.headers, range: range)
        } catch {
            var response = try error.response(from: request, context: context)
            VersionNegotiation.stamp(&response.headers, range: range, effective: nil)
            return response
        }
        context.apiVersion = version
        context.versionRange = range
        var response = try await next(request, context)
        VersionNegotiation.stamp(&response.headers, range: range, effective: version)
        if version.allows(Self.requestIDMirrorMinor), !context.requestID.isEmpty {
            response.headers[Self.requestIDMirrorHeader] = context.requestID
        }
        return response
    }
}
