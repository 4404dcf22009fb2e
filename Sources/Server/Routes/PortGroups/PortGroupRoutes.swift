import Domain
import Foundation
import Hummingbird

/// `GET`, `PATCH`, `DELETE /v1/portgroups/{portgroup_ident}` (1.23) and the group's member ports,
/// `GET /v1/portgroups/{portgroup_ident}/ports[/detail]` (1.24).
struct PortGroupRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/portgroups/:portgroup_ident", .get) { request, context in try show(request, context) }
        table.on("/portgroups/:portgroup_ident", .patch) { request, context in try await update(request, context) }
        table.on("/portgroups/:portgroup_ident", .delete) { request, context in try await delete(request, context) }
        for (suffix, detail) in [("", false), ("/detail", true)] {
            table.on("/portgroups/:portgroup_ident/ports\(suffix)", .get) { request, context in
                try NodeAPI.requireEndpoint(24, context)
                let (group, aggregate) = try found(context)
                let members = aggregate.ports.values.filter { $0.portGroupUUID == group.uuid }
                return try PortListing(api: api).list(request, context, detailPath: detail, scope: Array(members),
                                                      path: "portgroups/\(group.uuid.lowercased)/ports")
            }
        }
    }

    /// The group named by the route, with its node; 404 before 1.23.
    func found(_ context: IronlogRequestContext) throws -> (group: PortGroup, aggregate: NodeAggregate) {
        try NodeAPI.requireEndpoint(23, context)
        return try api.portGroups.group(ident: try context.parameters.require("portgroup_ident"))
    }

    /// The group, or the `fields` asked for.
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        let group = try found(context).group
        try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
        var fields: [String]?
        if let selection = request.uri.queryParameters["fields"] {
            fields = FieldSelection.names(selection)
            try PortGroupFieldVersions.check(selection: fields!, at: context.apiVersion)
        }
        return try JSONBody(value: api.portGroupRepresentation(request, context).document(group, fields: fields)).response(from: request, context: context)
    }

    /// Applies a JSON Patch and answers the changed group.
    func update(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        let (group, aggregate) = try found(context)
        try NodeAPI.refuseUnknownQuery(request)
        let patch = try await RequestBody.patch(request, context: context)
        let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: aggregate.uuid, kind: "port group",
                                                      fields: PortGroupFieldVersions.introduced, readOnly: PortGroupFieldVersions.readOnly)
        guard !operations.isEmpty else {
            return try JSONBody(value: api.portGroupRepresentation(request, context).document(group)).response(from: request, context: context)
        }
        let outcome = try await api.handle(.updatePortGroup(uuid: group.uuid, patch: .array(operations)), node: aggregate.uuid, context)
        guard let updated = outcome.node?.portGroups[group.uuid] else { throw DomainError.resourceNotFound(kind: "Portgroup", id: group.uuid.lowercased) }
        return try JSONBody(value: api.portGroupRepresentation(request, context).document(updated)).response(from: request, context: context)
    }

    /// Deletes the group (400 while it has ports): 204.
    func delete(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        let (group, aggregate) = try found(context)
        try NodeAPI.refuseUnknownQuery(request)
        try await api.handle(.deletePortGroup(uuid: group.uuid), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }
}
