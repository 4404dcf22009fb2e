import Foundation
import Domain
import Hummingbird

/// `/v1/nodes/{id}/vifs` (1.28; 404 before): list, attach, detach.
struct NodeVIFsRoutes {
    let api: NodeAPI

    /// The microversion that adds VIFs.
    static let minor = 28

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/vifs", .get) { request, context in try list(request, context) }
        table.on("/nodes/:node_ident/vifs", .post) { request, context in try await attach(request, context) }
        table.on("/nodes/:node_ident/vifs/:vif", .delete) { request, context in try await detach(request, context) }
    }

    /// `{"vifs": [{"id": …}]}`.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let vifs = aggregate.attachedVIFs.map { JSONValue.object(["id": .string($0)]) }
        return try JSONBody(value: ["vifs": .array(vifs)]).response(from: request, context: context)
    }

    /// Binds the VIF `id` to a free port or port group (or the one named, 1.67): 204. Other
    /// members are accepted and ignored, as Ironic passes them to the network interface.
    func attach(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        let body = try await RequestBody.object(request, context: context)
        guard let vif = try RequestBody.string(body, "id", nullable: false), !vif.isEmpty else { throw DomainError.missingParameter("id") }
        var port: UUID?, portGroup: UUID?
        for (key, minor) in [("port_uuid", 67), ("portgroup_uuid", 67)] where body[key] != nil {
            guard version.allows(minor) else { throw IronicError.needsVersion("The \"\(key)\" parameter", minor, requested: version) }
            guard let text = try RequestBody.string(body, key), let uuid = Identifier.uuidLike(text) else {
                throw IronicError.badRequest("Invalid value for \(key): it must be a UUID.")
            }
            if key == "port_uuid" { port = uuid } else { portGroup = uuid }
        }
        let aggregate = try api.lookup.node(context)
        try await api.handle(.attachVIF(vif: vif, port: port, portGroup: portGroup, physicalNetworks: []), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }

    /// Unbinds the VIF: 204 (400 if it is not attached).
    func detach(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let vif = try context.parameters.require("vif")
        let aggregate = try api.lookup.node(context)
        try await api.handle(.detachVIF(vif: vif), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }
}
