import Domain
import Foundation
import Hummingbird

/// `GET /v1/ports`, `GET /v1/ports/detail`, `POST /v1/ports`, and the node-scoped
/// `GET /v1/nodes/{node_ident}/ports[/detail]` that a node's `ports` link points at.
struct PortCollectionRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        let listing = PortListing(api: api)
        table.on("/ports", .get) { request, context in try listing.list(request, context, detailPath: false, path: "ports") }
        table.on("/ports/detail", .get) { request, context in try listing.list(request, context, detailPath: true, path: "ports") }
        table.on("/ports", .post) { request, context in try await create(request, context) }
        table.on("/nodes/:node_ident/ports", .get) { request, context in try nodePorts(request, context, detailPath: false) }
        table.on("/nodes/:node_ident/ports/detail", .get) { request, context in try nodePorts(request, context, detailPath: true) }
    }

    /// One node's ports.
    func nodePorts(_ request: Request, _ context: IronlogRequestContext, detailPath: Bool) throws -> Response {
        let aggregate = try api.lookup.node(context)
        return try PortListing(api: api).list(request, context, detailPath: detailPath, scope: Array(aggregate.ports.values),
                                              path: "nodes/\(aggregate.uuid.lowercased)/ports")
    }

    /// Creates a port on the node `node_uuid` (or, from 1.94, `node_ident`; not both) names: 201
    /// with the port and its `Location`. An unknown node is 400, as in Ironic.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        var body = try await RequestBody.object(request, context: context)
        let writable = Set(PortFieldVersions.introduced.keys).subtracting(PortFieldVersions.readOnly)
        try RequestBody.refuseUnknown(body, allowed: writable.union(["uuid", "node_ident"]))
        try PortFieldVersions.checkWritable(body.keys, at: version)
        try PortFieldVersions.checkLinkMembers(create: body, at: version)
        if body["node_ident"] != nil, !version.allows(94) { throw IronicError.needsVersion("The field \"node_ident\"", 94, requested: version) }
        let uuid = try Self.newUUID(body.removeValue(forKey: "uuid"))
        let nodeUUID = try RequestBody.string(body, "node_uuid"), nodeIdent = try RequestBody.string(body, "node_ident")
        if nodeUUID != nil, nodeIdent != nil {
            throw IronicError.badRequest("A port names its node by node_uuid or by node_ident, not both.")
        }
        body["node_uuid"] = nil
        body["node_ident"] = nil
        guard let ident = nodeUUID ?? nodeIdent else { throw DomainError.missingParameter("node_uuid") }
        if nodeUUID != nil, Identifier.uuidLike(ident) == nil { throw IronicError.badRequest("Invalid UUID for node_uuid: \(ident)") }
        let aggregate: NodeAggregate
        do {
            aggregate = try api.lookup.node(ident: ident, version: version)
        } catch let error as DomainError {
            throw IronicError.badRequest(error.description)
        }
        let outcome = try await api.handle(.createPort(uuid: uuid, fields: body), node: aggregate.uuid, context)
        guard let port = outcome.node?.ports[uuid] else { throw IronicError.internalError() }
        let representation = api.portRepresentation(request, context)
        return try JSONBody(
            value: representation.document(port), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/ports/\(uuid.lowercased)"]
        ).response(from: request, context: context)
    }

    /// The UUID a create body names, or a new one.
    static func newUUID(_ value: JSONValue?) throws -> UUID {
        switch value {
        case nil, .null?:
            return UUID()
        case .string(let text)?:
            guard let parsed = Identifier.uuidLike(text) else { throw IronicError.badRequest("Invalid UUID for uuid: \(text)") }
            return parsed
        default:
            throw IronicError.badRequest("Invalid value for uuid: it must be a string.")
        }
    }
}
