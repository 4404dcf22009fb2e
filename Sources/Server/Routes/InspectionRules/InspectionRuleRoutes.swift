import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/inspection_rules` (1.96): list (`phase`, `fields`, `detail`, paging), create, show by
/// UUID, PATCH (JSON Patch), delete. Below 1.96 a `GET` is 404 and anything else 405, as in
/// Ironic. The rules run when a node's inspection data is recorded (see the engine's
/// `InspectionRuleApplier`).
struct InspectionRuleRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/inspection_rules", .get) { request, context in try list(request, context) }
        table.on("/inspection_rules", .post) { request, context in try await create(request, context) }
        table.on("/inspection_rules/:rule_uuid", .get) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
            let rule = try found(context)
            let fields = try FieldSelection.requested(request, valid: { InspectionRuleRepresentation.introduced[$0] != nil })
            return try JSONBody(value: representation(request).document(rule, fields: fields)).response(from: request, context: context)
        }
        table.on("/inspection_rules/:rule_uuid", .patch) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request)
            let rule = try found(context)
            let patch = try await RequestBody.patch(request, context: context)
            let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: UUID(), kind: "inspection rule",
                                                          fields: InspectionRuleRepresentation.introduced, readOnly: InspectionRuleRepresentation.readOnly)
            let updated = try await api.conductor.inspectionRules.update(rule.uuid, patch: .array(operations), metadata: context.eventMetadata)
            return try JSONBody(value: representation(request).document(updated)).response(from: request, context: context)
        }
        table.on("/inspection_rules/:rule_uuid", .delete) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request)
            try await api.conductor.inspectionRules.delete(try found(context).uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
    }

    private func gate(_ request: Request, _ context: IronlogRequestContext) throws {
        try RecordGate.require(96, request, context, what: "inspection rules")
    }

    private func representation(_ request: Request) -> InspectionRuleRepresentation {
        InspectionRuleRepresentation(baseURL: api.baseURL(request))
    }

    /// The rule the route's `rule_uuid` names; a rule has no name, so anything else is 400.
    private func found(_ context: IronlogRequestContext) throws -> InspectionRule {
        let ident = try context.parameters.require("rule_uuid")
        guard case .uuid(let uuid)? = Identifier.parse(ident) else { throw IronicError.badRequest("Expected a UUID but received \(ident).") }
        guard let rule = try api.conductor.inspectionRules.rule(uuid) else {
            throw DomainError.resourceNotFound(kind: "Inspection rule", id: ident)
        }
        return rule
    }

    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try gate(request, context)
        let query = try ResourceListQuery(request, resource: .inspectionRules, version: context.apiVersion, detailPath: false)
        var rules = try api.conductor.inspectionRules.all()
        for (name, value) in query.filterValues where name == "phase" { rules = rules.filter { $0.phase == value } }
        let paging = RecordPaging(query: query, kind: "Inspection rule")
        let page = try paging.page(rules, uuid: \.uuid, createdAt: \.createdAt, values: InspectionRuleRepresentation.values)
        let representation = representation(request)
        let fields = query.fields ?? (query.showsDetail(detailPath: false) ? nil : InspectionRuleRepresentation.listDefault)
        var body: [String: JSONValue] = ["inspection_rules": .array(page.map { representation.document($0, fields: fields) })]
        body["next"] = paging.next(after: page.map(\.uuid), baseURL: representation.baseURL, path: "inspection_rules")
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }

    /// 201 with the rule and its `Location`.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try gate(request, context)
        try NodeAPI.refuseUnknownQuery(request)
        var body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: InspectionRuleDecider.writableFields.union(["uuid"]))
        let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
        let rule = try await api.conductor.inspectionRules.create(uuid: uuid, fields: body, metadata: context.eventMetadata)
        let representation = representation(request)
        return try JSONBody(
            value: representation.document(rule), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/inspection_rules/\(rule.uuid.lowercased)"]
        ).response(from: request, context: context)
    }
}
