import Domain
import Foundation
import Hummingbird

/// The volume API (1.32; 404 before): `GET /v1/volume`, and for connectors and targets alike
/// `GET`/`POST /v1/volume/{kind}`, `GET`/`PATCH`/`DELETE /v1/volume/{kind}/{uuid}`, plus the
/// node-scoped `GET /v1/nodes/{node_ident}/volume[/{kind}]`.
struct VolumeRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/volume", .get) { request, context in
            try NodeAPI.requireEndpoint(32, context)
            try NodeAPI.refuseUnknownQuery(request)
            return try JSONBody(value: index(request, path: "volume")).response(from: request, context: context)
        }
        table.on("/nodes/:node_ident/volume", .get) { request, context in
            try NodeAPI.requireEndpoint(32, context)
            try NodeAPI.refuseUnknownQuery(request)
            let node = try api.lookup.node(context)
            return try JSONBody(value: index(request, path: "nodes/\(node.uuid.lowercased)/volume")).response(from: request, context: context)
        }
        for kind in [VolumeKind.connectors, .targets] {
            let routes = VolumeResourceRoutes(api: api, kind: kind)
            table.on("/volume/\(kind.collection)", .get) { request, context in try routes.list(request, context, node: nil) }
            table.on("/volume/\(kind.collection)", .post) { request, context in try await routes.create(request, context) }
            table.on("/volume/\(kind.collection)/:volume_ident", .get) { request, context in try routes.show(request, context) }
            table.on("/volume/\(kind.collection)/:volume_ident", .patch) { request, context in try await routes.update(request, context) }
            table.on("/volume/\(kind.collection)/:volume_ident", .delete) { request, context in try await routes.delete(request, context) }
            table.on("/nodes/:node_ident/volume/\(kind.collection)", .get) { request, context in
                try NodeAPI.requireEndpoint(32, context)
                return try routes.list(request, context, node: try api.lookup.node(context))
            }
        }
    }

    /// `{links, connectors: links, targets: links}` for `path`.
    func index(_ request: Request, path: String) -> JSONValue {
        let base = api.baseURL(request)
        return [
            "links": ResourceLinks.pair(baseURL: base, path: "\(path)/"),
            "connectors": ResourceLinks.pair(baseURL: base, path: "\(path)/connectors"),
            "targets": ResourceLinks.pair(baseURL: base, path: "\(path)/targets"),
        ]
    }
}
