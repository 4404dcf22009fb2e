import Domain
import Hummingbird

/// `GET /v1/shards` (1.82; 404 before): each shard nodes are in, with how many,
/// `{"shards": [{"name": …, "count": N}, …]}` (nodes without a shard are not counted).
struct ShardRoutes {
    let api: NodeAPI

    /// The microversion that adds shards.
    static let minor = 82

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/shards", .get) { request, context in try list(request, context) }
    }

    /// The shards, by name.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        var counts: [String: Int] = [:]
        for aggregate in try api.lookup.all() where !aggregate.deleted {
            if let shard = aggregate.node.shard { counts[shard, default: 0] += 1 }
        }
        let shards: [JSONValue] = counts.sorted { $0.key < $1.key }.map { ["name": .string($0.key), "count": .number(Double($0.value))] }
        return try JSONBody(value: ["shards": .array(shards)]).response(from: request, context: context)
    }
}
