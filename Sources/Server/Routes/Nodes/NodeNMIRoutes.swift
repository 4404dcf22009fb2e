import Domain
import Hummingbird

/// `PUT /v1/nodes/{node_ident}/management/inject_nmi` (1.29): a diagnostic interrupt through the
/// node's management interface (ipmitool can send one; others are refused with 400, as Ironic's
/// UnsupportedDriverExtension). 404 before 1.29.
struct NodeNMIRoutes {
    let api: NodeAPI

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/management/inject_nmi", .put) { request, context in try await inject(request, context) }
    }

    /// Sends the interrupt: 204.
    func inject(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(29, context)
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context, optional: true)
        try RequestBody.refuseUnknown(body, allowed: [])
        let aggregate = try api.lookup.node(context)
        try await api.conductor.injectNMI(aggregate.uuid)
        return EmptyResponse.noContent
    }
}
