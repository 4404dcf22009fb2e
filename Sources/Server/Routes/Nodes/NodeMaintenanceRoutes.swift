import Domain
import Hummingbird

/// `PUT` and `DELETE /v1/nodes/{id}/maintenance`.
struct NodeMaintenanceRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/maintenance", .put) { request, context in try await set(request, context) }
        table.on("/nodes/:node_ident/maintenance", .delete) { request, context in try await clear(request, context) }
    }

    /// Puts the node in maintenance, with the optional `reason` (body, or query as Ironic also
    /// accepts): 202.
    func set(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["reason"])
        let body = try await RequestBody.object(request, context: context, optional: true)
        try RequestBody.refuseUnknown(body, allowed: ["reason"])
        let reason = try RequestBody.string(body, "reason") ?? request.uri.queryParameters["reason"].map(String.init)
        let aggregate = try api.lookup.node(context)
        try await api.handle(.setMaintenance(reason: reason, fault: nil), node: aggregate.uuid, context)
        return EmptyResponse.accepted(location: nil)
    }

    /// Takes the node out of maintenance, clearing reason and fault: 202.
    func clear(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        try await api.handle(.clearMaintenance, node: aggregate.uuid, context)
        return EmptyResponse.accepted(location: nil)
    }
}
