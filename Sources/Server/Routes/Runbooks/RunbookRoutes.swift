import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/runbooks` (1.92): list (`owner`, `public`, `fields`, `detail`, paging), create, show by
/// UUID or name, PATCH (JSON Patch, `/steps/...` too), delete. Below 1.92 a `GET` is 404 and
/// anything else 405, as in Ironic. From 1.112 a runbook shows `description` and `traits`, its
/// name may be any logical name, and `/v1/runbooks/{id}/traits` manages its traits.
struct RunbookRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/runbooks", .get) { request, context in try list(request, context) }
        table.on("/runbooks", .post) { request, context in try await create(request, context) }
        table.on("/runbooks/:runbook_ident", .get) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
            let runbook = try found(context)
            let fields = try FieldSelection.requested(request, valid: { RunbookRepresentation.introduced[$0].map(context.apiVersion.allows) == true })
            return try JSONBody(value: representation(request, context).document(runbook, fields: fields)).response(from: request, context: context)
        }
        table.on("/runbooks/:runbook_ident", .patch) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request)
            let runbook = try found(context)
            let patch = try await RequestBody.patch(request, context: context)
            let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: UUID(), kind: "runbook",
                                                          fields: RunbookRepresentation.introduced, readOnly: RunbookRepresentation.readOnly)
            let updated = try await api.conductor.runbooks.update(runbook.uuid, patch: .array(operations), anyName: context.apiVersion.allows(112),
                                                                  metadata: context.eventMetadata)
            return try JSONBody(value: representation(request, context).document(updated)).response(from: request, context: context)
        }
        table.on("/runbooks/:runbook_ident", .delete) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request)
            try await api.conductor.runbooks.delete(try found(context).uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
        RunbookTraitRoutes(api: api).register(on: table)
    }

    func gate(_ request: Request, _ context: IronlogRequestContext) throws {
        try RecordGate.require(92, request, context, what: "runbooks")
    }

    func representation(_ request: Request, _ context: IronlogRequestContext) -> RunbookRepresentation {
        RunbookRepresentation(baseURL: api.baseURL(request), version: context.apiVersion)
    }

    /// The runbook the route's `runbook_ident` names: a UUID, or a name.
    func found(_ context: IronlogRequestContext) throws -> Runbook {
        let ident = try context.parameters.require("runbook_ident")
        let handler = api.conductor.runbooks
        let runbook: Runbook?
        switch Identifier.parse(ident) {
        case .uuid(let uuid)?: runbook = try handler.runbook(uuid)
        case .name(let name)?: runbook = try handler.runbook(named: name)
        case nil: throw IronicError.badRequest("Expected a logical name or UUID but received \(ident).")
        }
        guard let runbook else { throw DomainError.resourceNotFound(kind: "Runbook", id: ident) }
        return runbook
    }

    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try gate(request, context)
        let query = try ResourceListQuery(request, resource: .runbooks, version: context.apiVersion, detailPath: false)
        var runbooks = try api.conductor.runbooks.all()
        for (name, value) in query.filterValues {
            switch name {
            case "owner": runbooks = runbooks.filter { $0.owner == value }
            case "public":
                let flag = try NodeListQuery.bool(value, name)
                runbooks = runbooks.filter { $0.isPublic == flag }
            default: break
            }
        }
        let paging = RecordPaging(query: query, kind: "Runbook")
        let page = try paging.page(runbooks, uuid: \.uuid, createdAt: \.createdAt, values: RunbookRepresentation.values)
        let representation = representation(request, context)
        let fields = query.fields ?? (query.showsDetail(detailPath: false) ? nil : RunbookRepresentation.listDefault)
        var body: [String: JSONValue] = ["runbooks": .array(page.map { representation.document($0, fields: fields) })]
        body["next"] = paging.next(after: page.map(\.uuid), baseURL: representation.baseURL, path: "runbooks")
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }

    /// 201 with the runbook and its `Location`; 409 for a name already taken.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try gate(request, context)
        try NodeAPI.refuseUnknownQuery(request)
        var body = try await RequestBody.object(request, context: context)
        var allowed = RunbookDecider.writableFields.union(["uuid"])
        if !context.apiVersion.allows(112) { allowed.remove("description") }
        try RequestBody.refuseUnknown(body, allowed: allowed)
        let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
        let runbook = try await api.conductor.runbooks.create(uuid: uuid, fields: body, anyName: context.apiVersion.allows(112),
                                                              metadata: context.eventMetadata)
        let representation = representation(request, context)
        return try JSONBody(
            value: representation.document(runbook), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/runbooks/\(runbook.uuid.lowercased)"]
        ).response(from: request, context: context)
    }
}
