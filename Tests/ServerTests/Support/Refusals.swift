import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The log's head position: a refused request must leave it where it was.
func logHead(_ conductor: Conductor) throws -> UInt64 {
    try conductor.store.currentHead().position
}

/// Sends a request that must be refused and checks the refusal: a 4xx (`status` exactly, if
/// given) with Ironic's error body — `error_message` a JSON string holding a `Client` fault with
/// a non-empty `faultstring` — and nothing stored (the log's head did not move).
func expectRefused(
    _ client: any TestClientProtocol, _ conductor: Conductor, _ method: HTTPRequest.Method, _ uri: String,
    body: ByteBuffer? = nil, version: String? = "1.39", status: HTTPResponse.Status? = nil, _ label: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let before = try logHead(conductor)
    let what = "\(method) \(uri.prefix(120)) \(label)"
    try await client.execute(uri: uri, method: method, headers: headers(version), body: body) { response in
        #expect((400..<500).contains(response.status.code), "\(what): answered \(response.status.code) \(String(buffer: response.body).prefix(300))",
                sourceLocation: sourceLocation)
        if let status {
            #expect(response.status == status, "\(what): answered \(response.status.code), expected \(status.code): \(faultString(response))",
                    sourceLocation: sourceLocation)
        }
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(what): no JSON content type",
                sourceLocation: sourceLocation)
        guard let outer = jsonObject(response.body), let message = outer["error_message"] as? String else {
            Issue.record("\(what): not Ironic's error body: \(String(buffer: response.body).prefix(300))", sourceLocation: sourceLocation)
            return
        }
        guard let inner = jsonObject(message) else {
            Issue.record("\(what): error_message is not a JSON document: \(message.prefix(300))", sourceLocation: sourceLocation)
            return
        }
        #expect(inner["faultcode"] as? String == "Client", "\(what): faultcode \(inner["faultcode"] ?? "none")", sourceLocation: sourceLocation)
        #expect(!((inner["faultstring"] as? String) ?? "").isEmpty, "\(what): empty faultstring", sourceLocation: sourceLocation)
    }
    #expect(try logHead(conductor) == before, "\(what): stored something (the log's head moved)", sourceLocation: sourceLocation)
}

/// Request bodies that are not JSON documents at all, each with what it is.
let malformedBodies: [(String, ByteBuffer)] = [
    ("an unclosed object", body("{")),
    ("a missing value", body(#"{"a": }"#)),
    ("a trailing comma", body(#"{"driver": "fake-hardware",}"#)),
    ("a bare word", body("nul")),
    ("an unclosed array", body("[1, 2")),
    ("trailing garbage", body(#"{"a": 1} x"#)),
    ("single quotes", body("{'a': 1}")),
    ("an unquoted key", body("{a: 1}")),
    ("NaN", body(#"{"a": NaN}"#)),
    ("a number too large", body(#"{"a": 1e400}"#)),
    ("a NUL byte", ByteBuffer(bytes: [0x7B, 0x00, 0x7D])),
    ("invalid UTF-8", ByteBuffer(bytes: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])),
    ("an unpaired surrogate escape", body(#"{"a": "\ud800"}"#)),
    ("a control character in a string", body("{\"a\": \"x\u{01}y\"}")),
    ("nesting 100 000 deep", body(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))),
]

/// Bodies that are JSON but not an object.
let nonObjectBodies: [(String, ByteBuffer)] = [
    ("an array", body("[]")), ("a string", body(#""x""#)), ("a number", body("1")), ("null", body("null")), ("true", body("true")),
]

/// A JSON object larger than the server accepts (1 MiB), with `prefix` members first.
func oversizedBody(_ prefix: String = "") -> ByteBuffer {
    body("{\(prefix)\"extra\": {\"x\": \"\(String(repeating: "a", count: IronlogRequestContext.maximumBodySize + 1))\"}}")
}

/// A JSON value of each kind but `keeping`, to send where a field wants another kind.
func wrongValues(for kind: String) -> [String] {
    let all = ["string": #""x""#, "number": "1", "fraction": "1.5", "boolean": "true", "array": "[1]", "object": #"{"a": 1}"#]
    return all.filter { $0.key != kind && !(kind == "integer" && $0.key == "number") }.map(\.value).sorted()
}

/// Names Ironic refuses (and which must not reach the log): too long, control characters,
/// unicode look-alikes and invisible characters, path traversal, SQL, spaces, reserved words,
/// UUID-like, empty.
let hostileNames: [String] = [
    String(repeating: "n", count: 256), "a\u{0}b", "a\nb", "tab\there", "nоde", "node\u{200B}", "\u{202E}edon", "é", "../etc/passwd",
    "a/b", "..", "'; DROP TABLE nodes; --", "a' OR '1'='1", "my node", " leading", "trailing ", "detail", "validate",
    "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "", "%2e%2e", "<script>", "a?b", "a#b",
]

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
}

/// `text` percent-encoded for a path segment (everything but unreserved characters).
func pathSegment(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
}
