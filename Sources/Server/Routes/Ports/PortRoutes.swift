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
            fields = FieldSelection.names(selection)
            try PortFieldVersions.check(selection: fields!, at: context.apiVersion)
        }
        let port = try found(context).port
        return try JSONBody(value: api.portRepresentation(request, context).document(port, fields: fields)).response(from: request, context: context)
    }

    /// Applies a JSON Patch (see ``ResourcePatchCheck``) and answers the changed port.
    func update(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let patch = try await RequestBody.patch(request, context: context)
        let (port, aggregate) = try found(context)
        let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: aggregate.uuid, kind: "port",
                                                      fields: PortFieldVersions.introduced, readOnly: PortFieldVersions.readOnly)
        try PortFieldVersions.checkLinkMembers(patch: operations, at: context.apiVersion)
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
}
