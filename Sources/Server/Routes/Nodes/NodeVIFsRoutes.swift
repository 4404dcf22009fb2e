import Foundation
import Domain
import Hummingbird

/// `/v1/nodes/{id}/vifs` (1.28; 404 before): list, attach, detach; and the extension
/// `GET /v1/nodes/{id}/network_data`, the instance's `network_data.json` built from the bindings.
struct NodeVIFsRoutes {
    let api: NodeAPI

    /// The microversion that adds VIFs.
    static let minor = 28

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/vifs", .get) { request, context in try list(request, context) }
        table.on("/nodes/:node_ident/vifs", .post) { request, context in try await attach(request, context) }
        table.on("/nodes/:node_ident/vifs/:vif", .delete) { request, context in try await detach(request, context) }
        table.on("/nodes/:node_ident/network_data", .get) { request, context in try networkData(request, context) }
    }

    /// The node's `network_data.json` (see ``NetworkData``): its `network_data` field if set,
    /// otherwise built from its VIF bindings and their networks.
    func networkData(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let networks = Dictionary(try api.conductor.networks.all().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return try JSONBody(value: NetworkData.document(for: aggregate, networks: networks)).response(from: request, context: context)
    }

    /// `{"vifs": [{"id": …}]}`.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let vifs = aggregate.attachedVIFs.map { JSONValue.object(["id": .string($0)]) }
        return try JSONBody(value: ["vifs": .array(vifs)]).response(from: request, context: context)
    }

    /// Binds the VIF `id` to a free port or port group (or the one named, 1.67): 204. `network`
    /// (an extension) names the configured network the VIF joins: the port must be on its
    /// physical network, and on the `switch` interface the port's switch port goes to its VLAN.
    /// Other members are accepted and ignored, as Ironic passes them to the network interface.
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
        var network: String?
        if body["network"] != nil {
            guard let name = try RequestBody.string(body, "network"), !name.isEmpty else {
                throw IronicError.badRequest("Invalid value for network: it must name a configured network.")
            }
            network = name
        }
        let aggregate = try api.lookup.node(context)
        try await api.conductor.attachVIF(aggregate.uuid, vif: vif, port: port, portGroup: portGroup, network: network, metadata: context.eventMetadata)
        return EmptyResponse.noContent
    }

    /// Unbinds the VIF: 204 (400 if it is not attached).
    func detach(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let vif = try context.parameters.require("vif")
        let aggregate = try api.lookup.node(context)
        try await api.conductor.detachVIF(aggregate.uuid, vif: vif, metadata: context.eventMetadata)
        return EmptyResponse.noContent
    }
}
