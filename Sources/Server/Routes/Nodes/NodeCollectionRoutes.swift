import Domain
import Engine
import Foundation
import Hummingbird
import Projections

/// `GET /v1/nodes`, `GET /v1/nodes/detail` and `POST /v1/nodes`.
struct NodeCollectionRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes", .get) { request, context in try list(request, context, detailPath: false) }
        table.on("/nodes/detail", .get) { request, context in try list(request, context, detailPath: true) }
        table.on("/nodes", .post) { request, context in try await create(request, context) }
    }

    /// A page of nodes: filtered, sorted, cut at `limit` after `marker`, with a `next` link when full;
    /// only those of `chassis` when given (`/v1/chassis/{uuid}/nodes`).
    func list(_ request: Request, _ context: IronlogRequestContext, detailPath: Bool, chassis: UUID? = nil) throws -> Response {
        let version = context.apiVersion
        let query = try NodeListQuery(request, version: version, detailPath: detailPath)
        let representation = api.representation(request, context)
        let host = api.conductor.commands.reservation.host
        let all: [NodeAggregate]
        if let asOf = query.asOf {
            let position = try NodeAsOf.position(asOf, in: api.conductor.store)
            all = Array(try AsOf.fleet(at: position, in: api.conductor.store).values)
        } else {
            all = try api.lookup.all()
        }
        var nodes = all.filter { query.matches($0.node, conductorHost: host, version: version) && (chassis == nil || $0.node.chassisUUID == chassis) }
        nodes = NodeSorting.sorted(nodes, key: query.sortKey, descending: query.sortDescending, representation: representation)
        if let marker = query.marker {
            guard let index = nodes.firstIndex(where: { $0.uuid == marker }) else { throw DomainError.nodeNotFound(marker.lowercased) }
            nodes = Array(nodes[(index + 1)...])
        }
        let page = Array(nodes.prefix(query.limit))
        let detail = query.showsDetail(detailPath: detailPath)
        let fields = query.fields ?? (detail ? nil : NodeFieldVersions.listDefault)
        // `{"next": ..., "nodes": [...]}`, keys in order, the nodes from their stored text.
        var text: [UInt8] = Array(#"{"#.utf8)
        if page.count == query.limit, let last = page.last {
            let arguments = (query.nextArguments + [("limit", String(query.limit)), ("marker", last.uuid.lowercased)])
                .map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
            text.append(contentsOf: #""next":"#.utf8)
            let path = (chassis.map { "chassis/\($0.lowercased)/" } ?? "") + "nodes" + (detailPath ? "/detail" : "")
            JSONSerializer.write(.string("\(representation.baseURL)/v1/\(path)?\(arguments)"), into: &text)
            text.append(UInt8(ascii: ","))
        }
        text.append(contentsOf: #""nodes":["#.utf8)
        for (index, aggregate) in page.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            text.append(contentsOf: api.documentText(aggregate, representation, fields: fields, subResources: detail))
        }
        text.append(contentsOf: "]}".utf8)
        return JSONBody.response(bytes: text)
    }

    /// Enrolls a node through the conductor (so its hardware type is checked and its interfaces
    /// filled in): 201 with the node and its `Location`.
    func create(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        var body = try await RequestBody.object(request, context: context)
        let creatable = Set(NodeField.allCases.filter { NodeField.creatable.contains($0) }.map(\.name))
        try RequestBody.refuseUnknown(body, allowed: creatable.union(["uuid"]))
        for name in body.keys.sorted() {
            if let minor = NodeFieldVersions.introduced[name], !version.allows(minor) {
                throw IronicError.needsVersion("The field \"\(name)\"", minor, requested: version)
            }
        }
        let uuid: UUID
        switch body.removeValue(forKey: "uuid") {
        case nil, .null?:
            uuid = UUID()
        case .string(let text)?:
            guard let parsed = Identifier.uuidLike(text) else { throw IronicError.badRequest("Invalid UUID for uuid: \(text)") }
            uuid = parsed
        default:
            throw IronicError.badRequest("Invalid value for uuid: it must be a string.")
        }
        if body["driver"] == nil { throw DomainError.missingParameter("driver") }
        body = try NodeParent.resolving(body, api: api, version: version)
        try NodeChassis.check(body["chassis_uuid"], api: api)
        let outcome = try await api.conductor.enroll(uuid, fields: body, metadata: context.eventMetadata)
        guard let aggregate = outcome.node else { throw IronicError.internalError() }
        let representation = api.representation(request, context)
        return try JSONBody(
            value: representation.document(aggregate), status: .created,
            headers: [.location: "\(representation.baseURL)/v1/nodes/\(uuid.lowercased)"]
        ).response(from: request, context: context)
    }

    /// Percent-encodes what a query value must not carry raw.
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
