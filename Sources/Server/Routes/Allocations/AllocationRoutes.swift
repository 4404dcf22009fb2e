import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/allocations` (1.52): list, create (1.58 backfill with `node`, 1.60 `owner`), show by
/// UUID or name, PATCH (1.57), delete; and the node's `GET`/`DELETE /v1/nodes/{node}/allocation`.
/// Below 1.52 a `GET` is 404 and anything else 405, as in Ironic.
struct AllocationRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/allocations", .get) { request, context in try list(request, context) }
        table.on("/allocations", .post) { request, context in try await create(request, context) }
        table.on("/allocations/:allocation_ident", .get) { request, context in try show(request, context) }
        table.on("/allocations/:allocation_ident", .patch) { request, context in try await update(request, context) }
        table.on("/allocations/:allocation_ident", .delete) { request, context in
            try gate(request, context)
            try NodeAPI.refuseUnknownQuery(request)
            try await api.conductor.allocations.delete(try found(context).uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
        table.on("/nodes/:node_ident/allocation", .get) { request, context in
            try NodeAPI.requireEndpoint(52, context)
            try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
            let allocation = try allocation(of: try api.lookup.node(context), ident: try context.parameters.require("node_ident"))
            return try JSONBody(value: representation(request, context).document(allocation, fields: try fields(request, context)))
                .response(from: request, context: context)
        }
        table.on("/nodes/:node_ident/allocation", .delete) { request, context in
            try NodeAPI.requireEndpoint(52, context)
            try NodeAPI.refuseUnknownQuery(request)
            let allocation = try allocation(of: try api.lookup.node(context), ident: try context.parameters.require("node_ident"))
            try await api.conductor.allocations.delete(allocation.uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
    }

    private func gate(_ request: Request, _ context: IronlogRequestContext) throws {
        try RecordGate.require(52, request, context, what: "allocations")
    }

    private func representation(_ request: Request, _ context: IronlogRequestContext) -> AllocationRepresentation {
        AllocationRepresentation(baseURL: api.baseURL(request), version: context.apiVersion)
    }

    /// The allocation the route's `allocation_ident` names: a UUID, or a name.
    private func found(_ context: IronlogRequestContext) throws -> Allocation {
        let ident = try context.parameters.require("allocation_ident")
        let handler = api.conductor.allocations
        let allocation: Allocation?
        switch Identifier.parse(ident) {
        case .uuid(let uuid)?: allocation = try handler.allocation(uuid)
        case .name(let name)?: allocation = try handler.allocation(named: name)
        case nil: throw IronicError.badRequest("Expected a logical name or UUID but received \(ident).")
        }
        guard let allocation else { throw DomainError.resourceNotFound(kind: "Allocation", id: ident) }
        return allocation
    }

    /// The allocation holding `aggregate`'s node, else 404.
    private func allocation(of aggregate: NodeAggregate, ident: String) throws -> Allocation {
        let handler = api.conductor.allocations
        if let held = aggregate.node.allocationUUID, let allocation = try handler.allocation(held) { return allocation }
        throw IronicError.notFound("Allocation for node \(ident) was not found")
    }

    /// `fields=`, checked: unknown names 400, names newer than the version 406.
    private func fields(_ request: Request, _ context: IronlogRequestContext) throws -> [String]? {
        guard let selection = request.uri.queryParameters["fields"] else { return nil }
        let names = FieldSelection.names(selection)
        let unknown = names.filter { AllocationFieldVersions.introduced[$0] == nil }
        if !unknown.isEmpty { throw IronicError.badRequest("Field(s) \"\(unknown.joined(separator: ", "))\" are not valid") }
        for name in names where !context.apiVersion.allows(AllocationFieldVersions.introduced[name]!) {
            throw IronicError.needsVersion("The field \"\(name)\"", AllocationFieldVersions.introduced[name]!, requested: context.apiVersion)
        }
        return names
    }

    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try gate(request, context)
        try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
        let allocation = try found(context)
        return try JSONBody(value: representation(request, context).document(allocation, fields: try fields(request, context)))
            .response(from: request, context: context)
    }

    /// The list: filters `node`, `resource_class`, `state`, `owner` (1.60); `fields`; paging.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try gate(request, context)
        if request.uri.queryParameters["detail"] != nil { throw IronicError.badRequest("Unknown argument: \"detail\"") }
        let version = context.apiVersion
        let query = try ResourceListQuery(request, resource: .allocations, version: version, detailPath: false)
        var allocations = try api.conductor.allocations.all()
        for (name, value) in query.filterValues {
            switch name {
            case "node":
                let node: UUID
                do { node = try api.lookup.node(ident: value, version: version).uuid } catch let error as DomainError {
                    throw IronicError.badRequest(error.description)
                }
                allocations = allocations.filter { $0.nodeUUID == node }
            case "resource_class": allocations = allocations.filter { $0.resourceClass == value }
            case "state": allocations = allocations.filter { $0.state.rawValue == value }
            case "owner": allocations = allocations.filter { $0.owner == value }
            default: break
            }
        }
        let paging = RecordPaging(query: query, kind: "Allocation")
        let page = try paging.page(allocations, uuid: \.uuid, createdAt: \.createdAt, values: AllocationRepresentation.values)
        let representation = representation(request, context)
        var body: [String: JSONValue] = ["allocations": .array(page.map { representation.document($0, fields: query.fields) })]
        body["next"] = paging.next(after: page.map(\.uuid), baseURL: representation.baseURL, path: "allocations")
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }

    /// Creates the allocation and allocates a node to it: 201 with the allocation (`active`, or
    /// `error` with `last_error`) and its `Location`.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try gate(request, context)
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        var body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["candidate_nodes", "extra", "name", "node", "owner", "resource_class", "traits", "uuid"])
        if body["owner"] != nil, !version.allows(60) { throw IronicError.needsVersion("The field \"owner\"", 60, requested: version) }
        var backfill: NodeAggregate?
        if let ident = try RequestBody.string(body, "node") {
            guard version.allows(58) else { throw IronicError.badRequest("Cannot set node when creating an allocation in this API version") }
            do { backfill = try api.lookup.node(ident: ident, version: version) } catch let error as DomainError {
                throw IronicError.badRequest(error.description)
            }
        }
        let givenUUID = body.removeValue(forKey: "uuid")
        var uuid = try PortCollectionRoutes.newUUID(givenUUID)
        if givenUUID == nil || givenUUID == .null, let instance = backfill?.node.instanceUUID {
            // Backfilling without a UUID: the allocation takes the node's instance UUID, as Ironic's does.
            uuid = instance
        }
        var fields = AllocationDecider.Request(
            name: try RequestBody.string(body, "name"),
            resourceClass: try RequestBody.string(body, "resource_class"),
            extra: try object(body["extra"], "extra"),
            owner: try RequestBody.string(body, "owner")
        )
        fields.traits = try strings(body["traits"], "traits")
        if fields.resourceClass == nil, let backfill { fields.resourceClass = backfill.node.resourceClass }
        for ident in try strings(body["candidate_nodes"], "candidate_nodes") {
            do { fields.candidateNodes.append(try api.lookup.node(ident: ident, version: version).uuid) } catch let error as DomainError {
                throw IronicError.badRequest(error.description)
            }
        }
        let allocation = try await api.conductor.allocations.create(uuid: uuid, fields, backfill: backfill?.uuid, metadata: context.eventMetadata)
        let representation = representation(request, context)
        return try JSONBody(
            value: representation.document(allocation), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/allocations/\(allocation.uuid.lowercased)"]
        ).response(from: request, context: context)
    }

    /// PATCH (1.57; 405 before): `name` and `extra` only.
    func update(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try gate(request, context)
        guard context.apiVersion.allows(57) else {
            throw IronicError(status: .methodNotAllowed, faultString: "The API version does not allow updating allocations")
        }
        try NodeAPI.refuseUnknownQuery(request)
        let allocation = try found(context)
        let patch = try await RequestBody.patch(request, context: context)
        let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: allocation.nodeUUID ?? UUID(), kind: "allocation",
                                                      fields: AllocationFieldVersions.introduced, readOnly: AllocationFieldVersions.readOnly)
        let updated = try await api.conductor.allocations.update(allocation.uuid, patch: .array(operations), metadata: context.eventMetadata)
        return try JSONBody(value: representation(request, context).document(updated)).response(from: request, context: context)
    }

    private func strings(_ value: JSONValue?, _ key: String) throws -> [String] {
        switch value {
        case nil, .null?: return []
        case .array(let items)?:
            return try items.map { item in
                guard case .string(let text) = item else { throw IronicError.badRequest("Invalid value for \(key): each item must be a string.") }
                return text
            }
        default: throw IronicError.badRequest("Invalid value for \(key): it must be a list.")
        }
    }

    private func object(_ value: JSONValue?, _ key: String) throws -> JSONValue {
        switch value {
        case nil, .null?: return .emptyObject
        case .object?: return value!
        default: throw IronicError.badRequest("Invalid value for \(key): it must be an object.")
        }
    }
}
