import Domain
import Drivers
import EventStore
import Hummingbird
import Logging

/// Answers every error thrown below it in Ironic's error shape (see ``IronicError``).
///
/// - ``IronicError`` is answered as it is.
/// - The engine's ``DomainError`` is answered with Ironic's status and message for it.
/// - The store's `EventStoreError` for a full disk is a 507, for a corrupt envelope a 500 with its
///   position (see EventStoreError+Ironic.swift); any other is a plain 500.
/// - A driver's `DriverError` (the BMC failed a synchronous request) is a 500 with its message.
/// - Hummingbird's `HTTPError` (unknown path, undecodable body, body too large, …) keeps its status
///   and headers; its message, or a standard one for the status, becomes the `faultstring`.
/// - Any other error is logged and answered `500` without its details.
public struct IronicErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Runs the rest of the chain, turning a thrown error into an Ironic error response.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as IronicError {
            if error.faultCode == .server {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            }
            return try error.response(from: request, context: context)
        } catch let error as DomainError {
            return try IronicError(error).response(from: request, context: context)
        } catch let error as EventStoreError where IronicError(error) != nil {
            let ironic = IronicError(error)!
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try ironic.response(from: request, context: context)
        } catch let error as DriverError {
            // The BMC failed a synchronous request (boot device, indicators, virtual media…).
            return try IronicError.internalError(error.message).response(from: request, context: context)
        } catch let error as HTTPError {
            let ironic = IronicError(status: error.status, faultString: error.body ?? Self.standardMessage(for: error.status))
            var response = try ironic.response(from: request, context: context)
            response.headers.append(contentsOf: error.headers)
            return response
        } catch let error as any HTTPResponseError {
            let ironic = IronicError(status: error.status, faultString: Self.standardMessage(for: error.status))
            return try ironic.response(from: request, context: context)
        } catch {
            context.logger.error("request failed with an unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return try IronicError.internalError().response(from: request, context: context)
        }
    }

    /// The message Ironic (via WebOb) gives for a status when there is nothing more specific.
    static func standardMessage(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "The resource could not be found."
        case 405: "The method is not allowed for this resource."
        case 413: "The request body is too large."
        case 500: "The server encountered an internal error."
        default: status.reasonPhrase
        }
    }
}
