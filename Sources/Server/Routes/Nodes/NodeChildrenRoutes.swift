import Domain
import Hummingbird

/// `GET /v1/nodes/{id}/children` (1.83; 404 before): the UUIDs of the nodes whose `parent_node`
/// is this node, `{"children": […]}` (`parent_node` is stored as a UUID, see ``NodeParent``; one
/// recorded by name before that is found too).
struct NodeChildrenRoutes {
    let api: NodeAPI

    /// The microversion that adds `parent_node` and `/children`.
    static let minor = 83

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/children", .get) { request, context in try list(request, context) }
    }

    /// The children's UUIDs, sorted.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let parent = try api.lookup.node(context)
        let names = Set([parent.uuid.lowercased, parent.node.name].compactMap { $0 })
        let children = try api.lookup.all()
            .filter { !$0.deleted && $0.node.parentNode.map { names.contains($0.lowercased()) || names.contains($0) } == true }
            .map(\.uuid.lowercased).sorted()
        return try JSONBody(value: ["children": .array(children.map(JSONValue.string))]).response(from: request, context: context)
    }
}
