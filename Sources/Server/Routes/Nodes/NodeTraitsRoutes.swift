import Domain
import Hummingbird

/// `/v1/nodes/{id}/traits` (1.37; 404 before): list, replace all, add one, remove one or all.
struct NodeTraitsRoutes {
    let api: NodeAPI

    /// The microversion that adds traits.
    static let minor = 37

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/traits", .get) { request, context in try list(request, context) }
        table.on("/nodes/:node_ident/traits", .put) { request, context in try await replace(request, context) }
        table.on("/nodes/:node_ident/traits", .delete) { request, context in try await remove(request, context, trait: nil) }
        table.on("/nodes/:node_ident/traits/:trait", .put) { request, context in try await add(request, context) }
        table.on("/nodes/:node_ident/traits/:trait", .delete) { request, context in
            try await remove(request, context, trait: try context.parameters.require("trait"))
        }
    }

    /// `{"traits": […]}`.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        return try JSONBody(value: ["traits": .array(aggregate.node.traits.map(JSONValue.string))]).response(from: request, context: context)
    }

    /// Replaces every trait with the body's `traits`: 204.
    func replace(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["traits"])
        guard case .array(let items)? = body["traits"] else { throw DomainError.missingParameter("traits") }
        let traits = try items.map { item throws(IronicError) -> String in
            guard case .string(let trait) = item else { throw .badRequest("Invalid value for traits: each trait must be a string.") }
            return trait
        }
        let aggregate = try api.lookup.node(context)
        try await api.handle(.setTraits(traits), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }

    /// Adds the trait named in the path: 204.
    func add(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let trait = try context.parameters.require("trait")
        let aggregate = try api.lookup.node(context)
        try await api.handle(.addTrait(trait), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }

    /// Removes one trait (404 if the node lacks it) or all: 204.
    func remove(_ request: Request, _ context: IronlogRequestContext, trait: String?) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        try await api.handle(.removeTrait(trait), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }
}
