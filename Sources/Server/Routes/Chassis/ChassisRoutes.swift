import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/chassis` (1.1): list (`fields` 1.8, `detail` 1.43, paging), `/detail`, create, show,
/// PATCH (JSON Patch on `description` and `extra`), delete (400 while nodes name it), and the
/// chassis' nodes, `/v1/chassis/{uuid}/nodes[/detail]`. A chassis is named by UUID only.
struct ChassisRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/chassis", .get) { request, context in try list(request, context, detailPath: false) }
        table.on("/chassis/detail", .get) { request, context in try list(request, context, detailPath: true) }
        table.on("/chassis", .post) { request, context in try await create(request, context) }
        table.on("/chassis/:chassis_uuid", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
            let chassis = try found(context)
            var fields: [String]?
            if let selection = request.uri.queryParameters["fields"] {
                let version = context.apiVersion
                guard version.allows(8) else { throw IronicError.needsVersion("The \"fields\" parameter", 8, requested: version) }
                fields = try FieldSelection.requested(request) { ChassisRepresentation.introduced[$0] != nil }
            }
            return try JSONBody(value: representation(request).document(chassis, fields: fields)).response(from: request, context: context)
        }
        table.on("/chassis/:chassis_uuid", .patch) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let chassis = try found(context)
            let patch = try await RequestBody.patch(request, context: context)
            let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: UUID(), kind: "chassis",
                                                          fields: ChassisRepresentation.introduced, readOnly: ChassisRepresentation.readOnly)
            let updated = try await api.conductor.chassis.update(chassis.uuid, patch: .array(operations), metadata: context.eventMetadata)
            return try JSONBody(value: representation(request).document(updated)).response(from: request, context: context)
        }
        table.on("/chassis/:chassis_uuid", .delete) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            try await api.conductor.chassis.delete(try found(context).uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
        table.on("/chassis/:chassis_uuid/nodes", .get) { request, context in
            try NodeCollectionRoutes(api: api).list(request, context, detailPath: false, chassis: try found(context).uuid)
        }
        table.on("/chassis/:chassis_uuid/nodes/detail", .get) { request, context in
            try NodeCollectionRoutes(api: api).list(request, context, detailPath: true, chassis: try found(context).uuid)
        }
    }

    private func representation(_ request: Request) -> ChassisRepresentation {
        ChassisRepresentation(baseURL: api.baseURL(request))
    }

    /// The chassis the route's `chassis_uuid` names.
    private func found(_ context: IronlogRequestContext) throws -> Chassis {
        let ident = try context.parameters.require("chassis_uuid")
        guard let uuid = Identifier.uuidLike(ident) else { throw IronicError.badRequest("Invalid UUID for chassis: \(ident)") }
        guard let chassis = try api.conductor.chassis.chassis(uuid) else { throw DomainError.resourceNotFound(kind: "Chassis", id: ident) }
        return chassis
    }

    func list(_ request: Request, _ context: IronlogRequestContext, detailPath: Bool) throws -> Response {
        let query = try ResourceListQuery(request, resource: .chassis, version: context.apiVersion, detailPath: detailPath)
        let paging = RecordPaging(query: query, kind: "Chassis")
        let page = try paging.page(try api.conductor.chassis.all(), uuid: \.uuid, createdAt: \.createdAt, values: ChassisRepresentation.values)
        let representation = representation(request)
        let fields = query.fields ?? (query.showsDetail(detailPath: detailPath) ? nil : ChassisRepresentation.listDefault)
        var body: [String: JSONValue] = ["chassis": .array(page.map { representation.document($0, fields: fields) })]
        body["next"] = paging.next(after: page.map(\.uuid), baseURL: representation.baseURL, path: detailPath ? "chassis/detail" : "chassis")
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }

    /// 201 with the chassis and its `Location`.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        var body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ChassisDecider.fields.union(["uuid"]))
        let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
        let chassis = try await api.conductor.chassis.create(uuid: uuid, fields: body, metadata: context.eventMetadata)
        let representation = representation(request)
        return try JSONBody(
            value: representation.document(chassis), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/chassis/\(chassis.uuid.lowercased)"]
        ).response(from: request, context: context)
    }
}
