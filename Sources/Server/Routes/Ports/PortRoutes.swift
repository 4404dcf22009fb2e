import Domain
import Foundation
import Hummingbird

/// `GET`, `PATCH` and `DELETE /v1/ports/{port_ident}`.
struct PortRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/ports/:port_ident", .get) { request, context in try show(request, context) }
        table.on("/ports/:port_ident", .patch) { request, context in try await update(request, context) }
        table.on("/ports/:port_ident", .delete) { request, context in try await delete(request, context) }
    }

    /// The port named by the route, with its node.
    func found(_ context: IronlogRequestContext) throws -> (port: Domain.Port, aggregate: NodeAggregate) {
        try api.ports.port(ident: try context.parameters.require("port_ident"), version: context.apiVersion)
    }

    /// The port, or the `fields` asked for.
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
        var fields: [String]?
        if let selection = request.uri.queryParameters["fields"] {
            guard context.apiVersion.allows(8) else { throw IronicError.needsVersion("The \"fields\" parameter", 8, requested: context.apiVersion) }
            fields = selection.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            try PortFieldVersions.check(selection: fields!, at: context.apiVersion)
        }
        let port = try found(context).port
        return try JSONBody(value: api.portRepresentation(request, context).document(port, fields: fields)).response(from: request, context: context)
    }

    /// Applies a JSON Patch and answers the changed port. Moving a port to another node is refused
    /// (a port lives in its node's stream); naming its own node is allowed and does nothing.
    func update(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        guard let patch = try await RequestBody.json(request, context: context) else {
            throw IronicError.badRequest("The request body is missing; a JSON Patch document is expected.")
        }
        let (port, aggregate) = try found(context)
        let operations = try Self.check(patch, version: context.apiVersion, node: aggregate.uuid)
        guard !operations.isEmpty else {
            return try JSONBody(value: api.portRepresentation(request, context).document(port)).response(from: request, context: context)
        }
        let outcome = try await api.handle(.updatePort(uuid: port.uuid, patch: .array(operations)), node: aggregate.uuid, context)
        guard let updated = outcome.node?.ports[port.uuid] else { throw DomainError.resourceNotFound(kind: "Port", id: port.uuid.lowercased) }
        return try JSONBody(value: api.portRepresentation(request, context).document(updated)).response(from: request, context: context)
    }

    /// Deletes the port: 204.
    func delete(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let (port, aggregate) = try found(context)
        try await api.handle(.deletePort(uuid: port.uuid), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }

    /// Checks the patch's shape, refuses read-only fields (400) and fields newer than `version`
    /// (406), and returns the operations left once those naming the port's own node are dropped.
    static func check(_ patch: JSONValue, version: MicroVersion, node: UUID) throws -> [JSONValue] {
        guard case .array(let operations) = patch, !operations.isEmpty else {
            throw IronicError.badRequest("The request body must be a non-empty JSON Patch list of operations.")
        }
        var kept: [JSONValue] = []
        for operation in operations {
            guard case .object(let members) = operation else { throw IronicError.badRequest("Each patch operation must be an object.") }
            guard case .string(let op)? = members["op"], NodeRoutes.operations.contains(op) else {
                throw IronicError.badRequest("Invalid patch operation: the operation must be add, replace or remove.")
            }
            guard case .string(let path)? = members["path"], NodeRoutes.isValid(path: path) else {
                throw IronicError.badRequest("Invalid patch path: it must look like /field or /field/key.")
            }
            if op != "remove", members["value"] == nil { throw IronicError.badRequest("The patch operation \"\(op)\" on \(path) needs a value.") }
            let field = String(path.dropFirst().split(separator: "/").first ?? "")
            guard let minor = PortFieldVersions.introduced[field] else {
                throw IronicError.badRequest("The attribute \(path) does not exist on a port.")
            }
            guard version.allows(minor) else { throw IronicError.needsVersion("The field \"\(field)\"", minor, requested: version) }
            if PortFieldVersions.readOnly.contains(field) { throw IronicError.badRequest("The attribute \(path) can not be changed.") }
            if field == "node_uuid" {
                guard op == "replace", case .string(let text)? = members["value"], Identifier.uuidLike(text) == node else {
                    throw IronicError.badRequest("A port can not be moved to another node; delete it and create it on the other node.")
                }
                continue
            }
            kept.append(operation)
        }
        return kept
    }
}
