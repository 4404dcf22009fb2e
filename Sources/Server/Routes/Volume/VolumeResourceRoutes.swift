import Domain
import Foundation
import Hummingbird

/// The collection and item operations on one kind of volume resource (see ``VolumeKind``).
struct VolumeResourceRoutes: Sendable {
    let api: NodeAPI
    let kind: VolumeKind

    /// One resource as shown: `fields` if given (plus `links`), else every field.
    func document(_ request: Request, _ uuid: UUID, values: [String: JSONValue], fields: [String]? = nil) -> JSONValue {
        var document: [String: JSONValue] = [:]
        for name in fields ?? kind.fields { document[name] = values[name] ?? .null }
        document["links"] = ResourceLinks.pair(baseURL: api.baseURL(request), path: "volume/\(kind.collection)/\(uuid.lowercased)")
        return .object(document)
    }

    /// The resource the route names, with its node.
    func found(_ context: IronlogRequestContext) throws -> (uuid: UUID, values: [String: JSONValue], aggregate: NodeAggregate) {
        try NodeAPI.requireEndpoint(32, context)
        let ident = try context.parameters.require("volume_ident")
        guard let uuid = Identifier.uuidLike(ident) else { throw IronicError.badRequest("Invalid UUID: \(ident).") }
        guard let owner = api.lookup.fleet.node(owning: uuid), let aggregate = try api.conductor.commands.aggregate(owner),
              !aggregate.deleted, let resource = kind.resources(aggregate)[uuid] else {
            throw DomainError.resourceNotFound(kind: kind.title, id: ident)
        }
        return (uuid, resource.values, aggregate)
    }

    /// A page of resources (all, or one node's), filtered by `node`, sorted, paged.
    func list(_ request: Request, _ context: IronlogRequestContext, node: NodeAggregate?) throws -> Response {
        try NodeAPI.requireEndpoint(32, context)
        let version = context.apiVersion
        let query = try ResourceListQuery(request, resource: kind.listed, version: version, detailPath: false, nodeScoped: node != nil)
        var nodes = try node.map { [$0] } ?? api.lookup.all().filter { !$0.deleted }
        if let ident = query.filterValues.first(where: { $0.name == "node" })?.value {
            let owner = try api.lookup.node(ident: ident, version: version).uuid
            nodes = nodes.filter { $0.uuid == owner }
        }
        var items = nodes.flatMap { kind.resources($0).map { (uuid: $0.key, createdAt: $0.value.createdAt, values: $0.value.values) } }
        items.sort { lhs, rhs in
            let order = query.sortKey == "id" ? (lhs.createdAt == rhs.createdAt ? 0 : (lhs.createdAt < rhs.createdAt ? -1 : 1))
                : NodeSorting.compare(lhs.values[query.sortKey] ?? .null, rhs.values[query.sortKey] ?? .null)
            return order != 0 ? order < 0 : lhs.uuid.uuidString < rhs.uuid.uuidString
        }
        if query.sortDescending { items.reverse() }
        if let marker = query.marker {
            guard let index = items.firstIndex(where: { $0.uuid == marker }) else { throw DomainError.resourceNotFound(kind: kind.title, id: marker.lowercased) }
            items = Array(items[(index + 1)...])
        }
        let page = Array(items.prefix(query.limit))
        let fields = query.fields ?? (query.detail ? nil : kind.listDefault)
        var body: [String: JSONValue] = [kind.collection: .array(page.map { document(request, $0.uuid, values: $0.values, fields: fields) })]
        if page.count == query.limit, let last = page.last {
            let arguments = (query.nextArguments + [("limit", String(query.limit)), ("marker", last.uuid.lowercased)])
                .map { "\($0.0)=\(NodeCollectionRoutes.escape($0.1))" }.joined(separator: "&")
            let path = node.map { "nodes/\($0.uuid.lowercased)/volume" } ?? "volume"
            body["next"] = .string("\(api.baseURL(request))/v1/\(path)/\(kind.collection)?\(arguments)")
        }
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }

    /// One resource, or the `fields` asked for.
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        let (uuid, values, _) = try found(context)
        try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
        let fields = try FieldSelection.requested(request) { kind.fields.contains($0) }
        return try JSONBody(value: document(request, uuid, values: values, fields: fields)).response(from: request, context: context)
    }

    /// Creates one on the node `node_uuid` names (an unknown node is 400): 201 and `Location`.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(32, context)
        try NodeAPI.refuseUnknownQuery(request)
        var body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: Set(kind.fields).subtracting(VolumeKind.readOnly).union(["uuid"]))
        let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
        guard let ident = try RequestBody.string(body, "node_uuid") else { throw DomainError.missingParameter("node_uuid") }
        body["node_uuid"] = nil
        guard Identifier.uuidLike(ident) != nil else { throw IronicError.badRequest("Invalid UUID for node_uuid: \(ident)") }
        let aggregate: NodeAggregate
        do { aggregate = try api.lookup.node(ident: ident, version: context.apiVersion) } catch let error as DomainError {
            throw IronicError.badRequest(error.description)
        }
        let outcome = try await api.handle(kind.create(uuid, body), node: aggregate.uuid, context)
        guard let created = outcome.node.flatMap({ kind.resources($0)[uuid] }) else { throw IronicError.internalError() }
        return try JSONBody(
            value: document(request, uuid, values: created.values), status: .created,
            headers: [.location: "\(api.baseURL(request))/v1/volume/\(kind.collection)/\(uuid.lowercased)"]
        ).response(from: request, context: context)
    }

    /// Applies a JSON Patch (see ``ResourcePatchCheck``): 200 with the changed resource.
    func update(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        let (uuid, values, aggregate) = try found(context)
        try NodeAPI.refuseUnknownQuery(request)
        let patch = try await RequestBody.patch(request, context: context)
        let operations = try ResourcePatchCheck.check(patch, version: context.apiVersion, node: aggregate.uuid, kind: kind.title.lowercased(),
                                                      fields: kind.introduced, readOnly: VolumeKind.readOnly)
        guard !operations.isEmpty else { return try JSONBody(value: document(request, uuid, values: values)).response(from: request, context: context) }
        let outcome = try await api.handle(kind.update(uuid, .array(operations)), node: aggregate.uuid, context)
        guard let updated = outcome.node.flatMap({ kind.resources($0)[uuid] }) else { throw DomainError.resourceNotFound(kind: kind.title, id: uuid.lowercased) }
        return try JSONBody(value: document(request, uuid, values: updated.values)).response(from: request, context: context)
    }

    /// Deletes it: 204.
    func delete(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        let (uuid, _, aggregate) = try found(context)
        try NodeAPI.refuseUnknownQuery(request)
        try await api.handle(kind.delete(uuid), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }
}
