import Domain
import Foundation
import Hummingbird

/// `GET`/`POST /v1/portgroups`, `GET /v1/portgroups/detail` (1.23), and the node-scoped
/// `GET /v1/nodes/{node_ident}/portgroups[/detail]` (1.24). Older requests get 404.
struct PortGroupCollectionRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        let listing = PortGroupListing(api: api)
        table.on("/portgroups", .get) { request, context in
            try NodeAPI.requireEndpoint(23, context)
            return try listing.list(request, context, detailPath: false, path: "portgroups")
        }
        table.on("/portgroups/detail", .get) { request, context in
            try NodeAPI.requireEndpoint(23, context)
            return try listing.list(request, context, detailPath: true, path: "portgroups")
        }
        table.on("/portgroups", .post) { request, context in try await create(request, context) }
        for (suffix, detail) in [("", false), ("/detail", true)] {
            table.on("/nodes/:node_ident/portgroups\(suffix)", .get) { request, context in
                try NodeAPI.requireEndpoint(24, context)
                let aggregate = try api.lookup.node(context)
                return try listing.list(request, context, detailPath: detail, node: aggregate, path: "nodes/\(aggregate.uuid.lowercased)/portgroups")
            }
        }
    }

    /// Creates a group on the node `node_uuid` names: 201 with the group and its `Location`.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(23, context)
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        var body = try await RequestBody.object(request, context: context)
        let writable = Set(PortGroupFieldVersions.introduced.keys).subtracting(PortGroupFieldVersions.readOnly)
        try RequestBody.refuseUnknown(body, allowed: writable.union(["uuid"]))
        try PortGroupFieldVersions.checkWritable(body.keys, at: version)
        let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
        guard let ident = try RequestBody.string(body, "node_uuid") else { throw DomainError.missingParameter("node_uuid") }
        body["node_uuid"] = nil
        guard Identifier.uuidLike(ident) != nil else { throw IronicError.badRequest("Invalid UUID for node_uuid: \(ident)") }
        let aggregate: NodeAggregate
        do {
            aggregate = try api.lookup.node(ident: ident, version: version)
        } catch let error as DomainError {
            throw IronicError.badRequest(error.description)
        }
        let outcome = try await api.handle(.createPortGroup(uuid: uuid, fields: body), node: aggregate.uuid, context)
        guard let group = outcome.node?.portGroups[uuid] else { throw IronicError.internalError() }
        let representation = api.portGroupRepresentation(request, context)
        return try JSONBody(
            value: representation.document(group), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/portgroups/\(uuid.lowercased)"]
        ).response(from: request, context: context)
    }
}
