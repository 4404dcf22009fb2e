import Domain
import Hummingbird

/// `PUT /v1/nodes/{id}/states/boot_mode` and `…/states/secure_boot` (1.76; 404 before), through
/// the node's management interface: 202 with `Location` → the node's states. Refused with 409
/// while the node is in an unstable state; recorded (`BootModeSet`, `SecureBootSet`) and shown as
/// the node's `boot_mode` and `secure_boot` (1.75).
struct NodeBootModeRoutes {
    let api: NodeAPI

    /// The microversion that adds the two endpoints.
    static let minor = 76

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/states/boot_mode", .put) { request, context in try await bootMode(request, context) }
        table.on("/nodes/:node_ident/states/secure_boot", .put) { request, context in try await secureBoot(request, context) }
    }

    /// `{"target": "uefi"|"bios"}`.
    func bootMode(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["target"])
        guard let target = try RequestBody.string(body, "target", nullable: false) else { throw DomainError.missingParameter("target") }
        guard let mode = BootMode(rawValue: target) else {
            throw IronicError.badRequest("Invalid boot mode \(target); valid boot modes are: uefi, bios.")
        }
        let aggregate = try api.lookup.node(context)
        try await api.conductor.setBootMode(aggregate.uuid, mode, metadata: context.eventMetadata)
        return EmptyResponse.accepted(location: "\(api.baseURL(request))/v1/nodes/\(aggregate.uuid.lowercased)/states")
    }

    /// `{"target": true|false}`.
    func secureBoot(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["target"])
        guard let enabled = try RequestBody.bool(body, "target") else { throw DomainError.missingParameter("target") }
        let aggregate = try api.lookup.node(context)
        try await api.conductor.setSecureBoot(aggregate.uuid, enabled, metadata: context.eventMetadata)
        return EmptyResponse.accepted(location: "\(api.baseURL(request))/v1/nodes/\(aggregate.uuid.lowercased)/states")
    }
}
