import Domain
import Hummingbird

/// `GET`/`PUT /v1/nodes/{id}/states/console` (every version), through the node's console
/// interface: `{"console_enabled": …, "console_info": …}`, and `{"enabled": true|false}` → 202
/// with `Location` → the console. `no-console` is 400 (Ironic's `UnsupportedDriverExtension`).
struct NodeConsoleRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/states/console", .get) { request, context in try await show(request, context) }
        table.on("/nodes/:node_ident/states/console", .put) { request, context in try await set(request, context) }
    }

    /// Whether the console is enabled, and how to reach it while it is (`null` otherwise).
    func show(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let (enabled, info) = try await api.conductor.consoleInformation(aggregate.uuid)
        return try JSONBody(value: ["console_enabled": .bool(enabled), "console_info": info ?? .null]).response(from: request, context: context)
    }

    /// Starts or stops the console.
    func set(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["enabled"])
        guard let enabled = try RequestBody.bool(body, "enabled") else { throw DomainError.missingParameter("enabled") }
        let aggregate = try api.lookup.node(context)
        try await api.conductor.setConsoleMode(aggregate.uuid, enabled: enabled, metadata: context.eventMetadata)
        return EmptyResponse.accepted(location: "\(api.baseURL(request))/v1/nodes/\(aggregate.uuid.lowercased)/states/console")
    }
}
