import Foundation
import Hummingbird

/// An error answered the way Ironic answers errors.
///
/// Ironic wraps every failure in `{"error_message": "<string>"}` where the string is itself a JSON
/// document, `{"faultcode": "Client"|"Server", "faultstring": "…", "debuginfo": null}` — clients
/// (python-ironicclient, openstacksdk, gophercloud) decode it twice. Throw an `IronicError` from any
/// route; ``IronicErrorMiddleware`` turns it, and any other error, into that shape.
public struct IronicError: Error, HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// Who is at fault, as Ironic's `faultcode` says it.
    public enum FaultCode: String, Sendable, Codable {
        /// The request was wrong (4xx).
        case client = "Client"
        /// The server failed (5xx).
        case server = "Server"
    }

    /// The HTTP status of the response.
    public var status: HTTPResponse.Status
    /// The human-readable message, Ironic's `faultstring`.
    public var faultString: String
    /// Extra detail for debugging, Ironic's `debuginfo`; `null` unless set.
    public var debugInfo: String?

    /// Creates an error answered with `status` and `faultString`.
    public init(status: HTTPResponse.Status, faultString: String, debugInfo: String? = nil) {
        self.status = status
        self.faultString = faultString
        self.debugInfo = debugInfo
    }

    /// `Client` for a 4xx status, `Server` otherwise.
    public var faultCode: FaultCode {
        (400..<500).contains(status.code) ? .client : .server
    }

    /// No route matches the request's path.
    public static func notFound(_ faultString: String = "The resource could not be found.") -> IronicError {
        IronicError(status: .notFound, faultString: faultString)
    }

    /// The request is malformed or its values are invalid.
    public static func badRequest(_ faultString: String) -> IronicError {
        IronicError(status: .badRequest, faultString: faultString)
    }

    /// The server failed; the detail belongs in the log, not in the response.
    public static func internalError(_ faultString: String = "The server encountered an internal error.") -> IronicError {
        IronicError(status: .internalServerError, faultString: faultString)
    }

    /// `status faultString`, for logs.
    public var description: String {
        "\(status.code) \(faultCode.rawValue): \(faultString)"
    }

    /// The inner document, the value of `error_message` once decoded.
    public var fault: IronicFault {
        IronicFault(faultcode: faultCode.rawValue, faultstring: faultString, debuginfo: debugInfo)
    }

    /// The error body, `{"error_message": "<the fault as a JSON string>"}`.
    public func body() throws -> IronicErrorBody {
        IronicErrorBody(errorMessage: try fault.jsonString())
    }

    /// The JSON response carrying ``body()`` with this error's status.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(try body(), from: request, context: context)
        response.status = status
        return response
    }
}
