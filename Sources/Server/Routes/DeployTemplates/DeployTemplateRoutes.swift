import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/deploy_templates` (1.55): list (`fields`, `detail`, paging), create, show by UUID or
/// name, PATCH (JSON Patch, `/steps/...` too), delete. Below 1.55 a `GET` is 404 and anything
/// else 405, as in Ironic.
struct DeployTemplateRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/deploy_templates", .get) { request, context in try list(request, context) }
        table.on("/deploy_templates", .post) { request, context in try await create(request, context) }
        table.on("/deploy_templates/:template_ident", .get) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
            let template = try found(context)
            let fields = try FieldSelection.requested(request, valid: { DeployTemplateRepresentation.introduced[$0] != nil })
            return try JSONBody(value: representation(request).document(template, fields: fields)).response(from: request, context: context)
        }
        table.on("/deploy_templates/:template_ident", .patch) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request)
            let template = try found(context)
            let patch = try await RequestBody.patch(request, context: context)
            let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: UUID(), kind: "deploy template",
                                                          fields: DeployTemplateRepresentation.introduced, readOnly: DeployTemplateRepresentation.readOnly)
            let updated = try await api.conductor.deployTemplates.update(template.uuid, patch: .array(operations), metadata: context.eventMetadata)
            return try JSONBody(value: representation(request).document(updated)).response(from: request, context: context)
        }
        table.on("/deploy_templates/:template_ident", .delete) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request)
            try await api.conductor.deployTemplates.delete(try found(context).uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
    }

    private func gate(_ request: Request, _ context: IronlogRequestContext) throws {
        try RecordGate.require(55, request, context, what: "deploy templates")
    }

    private func representation(_ request: Request) -> DeployTemplateRepresentation {
        DeployTemplateRepresentation(baseURL: api.baseURL(request))
    }

    /// The template the route's `template_ident` names: a UUID, or a name.
    private func found(_ context: IronlogRequestContext) throws -> DeployTemplate {
        let ident = try context.parameters.require("template_ident")
        let handler = api.conductor.deployTemplates
        let template: DeployTemplate?
        switch Identifier.parse(ident) {
        case .uuid(let uuid)?: template = try handler.template(uuid)
        case .name(let name)?: template = try handler.template(named: name)
        case nil: throw IronicError.badRequest("Expected a logical name or UUID but received \(ident).")
        }
        guard let template else { throw DomainError.resourceNotFound(kind: "Deploy template", id: ident) }
        return template
    }

    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try gate(request, context)
        let query = try ResourceListQuery(request, resource: .deployTemplates, version: context.apiVersion, detailPath: false)
        let paging = RecordPaging(query: query, kind: "Deploy template")
        let page = try paging.page(try api.conductor.deployTemplates.all(), uuid: \.uuid, createdAt: \.createdAt,
                                   values: DeployTemplateRepresentation.values)
        let representation = representation(request)
        let fields = query.fields ?? (query.showsDetail(detailPath: false) ? nil : DeployTemplateRepresentation.listDefault)
        var body: [String: JSONValue] = ["deploy_templates": .array(page.map { representation.document($0, fields: fields) })]
        body["next"] = paging.next(after: page.map(\.uuid), baseURL: representation.baseURL, path: "deploy_templates")
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }

    /// 201 with the template and its `Location`; 409 for a name already taken.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try gate(request, context)
        try NodeAPI.refuseUnknownQuery(request)
        var body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["name", "steps", "extra", "uuid"])
        let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
        let template = try await api.conductor.deployTemplates.create(uuid: uuid, fields: body, metadata: context.eventMetadata)
        let representation = representation(request)
        return try JSONBody(
            value: representation.document(template), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/deploy_templates/\(template.uuid.lowercased)"]
        ).response(from: request, context: context)
    }
}
