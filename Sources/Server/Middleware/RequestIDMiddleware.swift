import Engine
import Foundation
import Hummingbird
import Logging

/// Gives every request an OpenStack local request id, `req-<uuid>`, and reads its ``Caller``.
///
/// The id is stored in ``IronlogRequestContext/requestID``, attached to the request's log lines as
/// `request_id`, and returned in the `Openstack-Request-Id` response header — on errors too, as
/// long as ``IronicErrorMiddleware`` sits below this one.
public struct RequestIDMiddleware: RouterMiddleware {
    /// The response header carrying the id, spelled as Ironic spells it.
    /// (`HTTPFields.Element` is HTTPTypes' `HTTPField`, reached through Hummingbird's re-export.)
    public static let headerName = HTTPFields.Element.Name("Openstack-Request-Id")!

    /// Creates the middleware.
    public init() {}

    /// Makes a fresh id in OpenStack's format: `req-` followed by a lowercase UUID4.
    public static func makeRequestID() -> String {
        "req-" + UUID().uuidString.lowercased()
    }

    /// Assigns the id, runs the rest of the chain and stamps the id on its response.
    public func handle(
        _ request: Request, context: IronlogRequestContext,
        next: (Request, IronlogRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let requestID = Self.makeRequestID()
        context.requestID = requestID
        context.caller = Caller(headers: request.headers)
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response = try await RequestScope.$requestID.withValue(requestID) { try await next(request, context) }
        response.headers[Self.headerName] = requestID
        return response
    }
}
