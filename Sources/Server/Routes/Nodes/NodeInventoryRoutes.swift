import Domain
import Hummingbird

/// `GET /v1/nodes/{id}/inventory` (1.81; 404 before): what the last inspection recorded,
/// `{"inventory": …, "plugin_data": …}`; 404 (Ironic's NodeInventoryNotFound) for a node never
/// inspected.
struct NodeInventoryRoutes {
    let api: NodeAPI

    /// The microversion that adds `/inventory`.
    static let minor = 81

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/inventory", .get) { request, context in try show(request, context) }
    }

    /// The inventory, and the data the agent sent beside it (`{}` when it sent none).
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        guard let inventory = aggregate.inventory else {
            throw IronicError.notFound("Node inventory for node \(aggregate.uuid.lowercased) could not be found.")
        }
        let document: JSONValue = ["inventory": inventory, "plugin_data": aggregate.pluginData ?? .emptyObject]
        return try JSONBody(value: document).response(from: request, context: context)
    }
}
