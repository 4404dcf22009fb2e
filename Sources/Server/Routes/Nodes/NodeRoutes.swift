import Domain
import Engine
import Foundation
import Hummingbird

/// `GET`, `PATCH` and `DELETE /v1/nodes/{node_ident}`.
struct NodeRoutes {
    let api: NodeAPI

    /// The operations a JSON Patch may use on a node.
    static let operations: Set<String> = ["add", "replace", "remove"]

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident", .get) { request, context in try show(request, context) }
        table.on("/nodes/:node_ident", .patch) { request, context in try await update(request, context) }
        table.on("/nodes/:node_ident", .delete) { request, context in try await delete(request, context) }
    }

    /// The node, or the `fields` asked for.
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["fields", "as_of"])
        var fields: [String]?
        if let selection = request.uri.queryParameters["fields"] {
            guard context.apiVersion.allows(8) else { throw IronicError.needsVersion("The \"fields\" parameter", 8, requested: context.apiVersion) }
            fields = FieldSelection.names(selection)
            try NodeFieldVersions.check(selection: fields!, at: context.apiVersion)
        }
        let aggregate: NodeAggregate
        if let asOf = request.uri.queryParameters["as_of"] {
            let position = try NodeAsOf.position(String(asOf), in: api.conductor.store)
            aggregate = try NodeAsOf.node(ident: try context.parameters.require("node_ident"), at: position,
                                          version: context.apiVersion, in: api.conductor.store)
        } else {
            aggregate = try api.lookup.node(context)
        }
        return JSONBody.response(bytes: api.documentText(aggregate, api.representation(request, context), fields: fields))
    }

    /// Applies a JSON Patch (`add`, `replace`, `remove`) through the conductor (so a changed driver
    /// or interface is checked as on create) and answers the changed node.
    func update(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        let version = context.apiVersion
        var reset = false
        if let value = request.uri.queryParameters["reset_interfaces"] {
            guard version.allows(NodeInterfaceReset.minor) else {
                throw IronicError.needsVersion("The \"reset_interfaces\" parameter", NodeInterfaceReset.minor, requested: version)
            }
            reset = try NodeListQuery.bool(String(value), "reset_interfaces")
        }
        try NodeAPI.refuseUnknownQuery(request, allowed: ["reset_interfaces"])
        let given = try await RequestBody.patch(request, context: context)
        try Self.check(given, version: version)
        let patch = try NodeParent.resolving(NodeInterfaceReset.expand(given, reset: reset, registry: api.conductor.drivers),
                                             api: api, version: version)
        let aggregate = try api.lookup.node(context)
        try NodeChassis.check(patch: patch, current: aggregate.node.chassisUUID, api: api, version: version)
        let outcome = try await api.conductor.update(aggregate.uuid, patch: patch, metadata: context.eventMetadata)
        guard let updated = outcome.node else { throw DomainError.nodeNotFound(aggregate.uuid.lowercased) }
        return try JSONBody(value: api.representation(request, context).document(updated)).response(from: request, context: context)
    }

    /// Deletes the node: 204.
    func delete(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        try await api.handle(.delete, node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }

    /// The shape Ironic's patch schema demands, and fields newer than `version` refused with 406.
    static func check(_ patch: JSONValue, version: MicroVersion) throws {
        guard case .array(let operations) = patch, !operations.isEmpty else {
            throw IronicError.badRequest("The request body must be a non-empty JSON Patch list of operations.")
        }
        for operation in operations {
            guard case .object(let members) = operation else { throw IronicError.badRequest("Each patch operation must be an object.") }
            guard case .string(let op)? = members["op"], operations.count > 0, Self.operations.contains(op) else {
                throw IronicError.badRequest("Invalid patch operation \(members["op"].map { "\($0)" } ?? "(missing)"): "
                    + "the operation must be add, replace or remove.")
            }
            guard case .string(let path)? = members["path"], Self.isValid(path: path, version: version) else {
                throw IronicError.badRequest("Invalid patch path \(members["path"].map { "\($0)" } ?? "(missing)"): "
                    + "it must look like /field or /field/key.")
            }
            if op != "remove", members["value"] == nil {
                throw IronicError.badRequest("The patch operation \"\(op)\" on \(path) needs a value.")
            }
            let field = String(path.dropFirst().split(separator: "/").first ?? "")
            if let minor = NodeFieldVersions.introduced[field], !version.allows(minor) {
                throw IronicError.needsVersion("The field \"\(field)\"", minor, requested: version)
            }
        }
    }

    /// The microversion from which a patch path may escape `~` and `/` inside a key as `~0` and
    /// `~1` (JSON Pointer, RFC 6901).
    static let pointerEscapesMinor = 98

    /// Ironic's path rule, `^(/[\w-]+)+$`; from 1.98 a segment may also hold `~0` and `~1`
    /// (`^(/([\w-]|~[01])+)+$`), so `/extra/a~1b` reaches the key `a/b`.
    static func isValid(path: String, version: MicroVersion) -> Bool {
        guard path.hasPrefix("/") else { return false }
        let escapes = version.allows(pointerEscapesMinor)
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return !segments.isEmpty && segments.allSatisfy { segment in
            guard !segment.isEmpty else { return false }
            var characters = segment.makeIterator()
            while let character = characters.next() {
                if character == "_" || character == "-" || character.isLetter || character.isNumber { continue }
                guard escapes, character == "~", let next = characters.next(), next == "0" || next == "1" else { return false }
            }
            return true
        }
    }
}
