import Domain
import Foundation
import Hummingbird

/// Reading a JSON request body, with Ironic's refusals made clearer: a malformed document is a
/// 400 naming where it breaks (Ironic answers 500), a body over
/// ``IronlogRequestContext/maximumBodySize`` is a 413, a document nesting deeper than
/// `JSONValue.maximumClientDepth` is a 400, and a document of the wrong shape or with members the
/// endpoint does not know is a 400 naming them.
enum RequestBody {
    /// The body as JSON; an empty body is `nil`.
    static func json(_ request: Request, context: IronlogRequestContext) async throws -> JSONValue? {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return nil }
        let value: JSONValue
        do {
            value = try JSONParser.parse(data)
        } catch {
            throw IronicError.badRequest("The request body is not valid JSON: \(error)")
        }
        let depth = value.nestingDepth
        guard depth <= JSONValue.maximumClientDepth else {
            throw IronicError.badRequest("The request body nests \(depth) levels deep; at most \(JSONValue.maximumClientDepth) are accepted.")
        }
        return value
    }

    /// The body as a JSON Patch document, which is required: 400 when the body is missing.
    static func patch(_ request: Request, context: IronlogRequestContext) async throws -> JSONValue {
        guard let patch = try await json(request, context: context) else {
            throw IronicError.badRequest("The request body is missing; a JSON Patch document is expected.")
        }
        return patch
    }

    /// The body as a JSON object; required unless `optional`, in which case a missing body is `[:]`.
    static func object(_ request: Request, context: IronlogRequestContext, optional: Bool = false) async throws -> [String: JSONValue] {
        guard let value = try await json(request, context: context) else {
            if optional { return [:] }
            throw IronicError.badRequest("The request body is missing; a JSON object is expected.")
        }
        guard case .object(let members) = value else { throw IronicError.badRequest("The request body must be a JSON object.") }
        return members
    }

    /// Refuses members of `body` not in `allowed`, as Ironic's schemas do (`additionalProperties: false`).
    static func refuseUnknown(_ body: [String: JSONValue], allowed: Set<String>) throws(IronicError) {
        let unknown = body.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            let list = unknown.map { "'\($0)'" }.joined(separator: ", ")
            throw .badRequest("Additional properties are not allowed (\(list) \(unknown.count == 1 ? "was" : "were") unexpected)")
        }
    }

    /// `body[key]` as a string: `nil` when absent (or null if `nullable`), 400 for another type.
    static func string(_ body: [String: JSONValue], _ key: String, nullable: Bool = true) throws(IronicError) -> String? {
        switch body[key] {
        case nil: return nil
        case .null? where nullable: return nil
        case .string(let text)?: return text
        default: throw .badRequest("Invalid value for \(key): it must be a string.")
        }
    }

    /// `body[key]` as a boolean: `nil` when absent or null, 400 for another type.
    static func bool(_ body: [String: JSONValue], _ key: String) throws(IronicError) -> Bool? {
        switch body[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw .badRequest("Invalid value for \(key): it must be a boolean.")
        }
    }

    /// `body[key]` as an integer: `nil` when absent or null, 400 for a fraction or another type.
    static func integer(_ body: [String: JSONValue], _ key: String) throws(IronicError) -> Int? {
        switch body[key] {
        case nil, .null?: return nil
        case .number(let number)? where number.rounded() == number && abs(number) < 1e15: return Int(number)
        default: throw .badRequest("Invalid value for \(key): it must be an integer.")
        }
    }

    /// `body[key]` as a list of JSON objects: `nil` when absent, 400 for another shape.
    static func objects(_ body: [String: JSONValue], _ key: String) throws(IronicError) -> [JSONValue]? {
        switch body[key] {
        case nil: return nil
        case .array(let items)? where items.allSatisfy({ $0.objectValue != nil }): return items
        default: throw .badRequest("Invalid value for \(key): it must be a list of objects.")
        }
    }
}
