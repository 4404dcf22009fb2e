import Domain
import Foundation
import Hummingbird

/// A JSON document as a response body, encoded with the context's encoder (keys sorted).
struct JSONBody: ResponseGenerator {
    /// The document.
    var value: JSONValue
    /// The status, 200 unless set.
    var status: HTTPResponse.Status = .ok
    /// Extra headers (`Location`).
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// Responses without a body, as Ironic gives for 202 and 204.
enum EmptyResponse {
    /// 204 No Content.
    static let noContent = Response(status: .noContent)

    /// 202 Accepted, with `Location` naming where to follow the work.
    static func accepted(location: String?) -> Response {
        var headers: HTTPFields = [:]
        if let location { headers[.location] = location }
        return Response(status: .accepted, headers: headers)
    }
}
