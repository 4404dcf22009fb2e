import Domain
import Foundation
import Hummingbird

/// A JSON document as a response body: compact, keys sorted, `/` not escaped.
///
/// Written by ``JSONSerializer`` straight into bytes, without Foundation's `JSONEncoder` and its
/// `Codable` boxing, which cost more than everything else in answering a large node list.
struct JSONBody: ResponseGenerator {
    /// The document.
    var value: JSONValue
    /// The status, 200 unless set.
    var status: HTTPResponse.Status = .ok
    /// Extra headers (`Location`).
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        JSONSerializer.write(value, into: &bytes)
        return Self.response(bytes: bytes, status: status, headers: headers)
    }

    /// A response carrying `bytes`, already JSON text, as its body.
    static func response(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
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
