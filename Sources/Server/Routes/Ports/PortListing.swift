import Domain
import Foundation
import Hummingbird

/// Answers a port list — `/v1/ports`, `/v1/ports/detail` and the node-scoped
/// `/v1/nodes/{node}/ports[/detail]` — filtered, sorted by creation (or `sort_key`), cut at `limit`
/// after `marker`, with a `next` link when the page is full.
struct PortListing {
    let api: NodeAPI

    /// The page for `request`; `scope` restricts it to one node's or one port group's ports (and
    /// refuses the node filters), `path` is the collection's path under `/v1` (for the `next` link).
    func list(_ request: Request, _ context: IronlogRequestContext, detailPath: Bool,
              scope: [Domain.Port]? = nil, path: String) throws -> Response {
        let version = context.apiVersion
        let query = try ResourceListQuery(request, resource: .ports, version: version, detailPath: detailPath, nodeScoped: scope != nil)
        var ports = try scope ?? PortLookup(nodes: api.lookup).all()
        for (name, value) in query.filterValues {
            switch name {
            case "node":
                let owner = try api.lookup.node(ident: value, version: version).uuid
                ports = ports.filter { $0.nodeUUID == owner }
            case "node_uuid":
                let owner = Identifier.uuidLike(value)
                ports = ports.filter { $0.nodeUUID == owner }
            case "address":
                let mac = (try? MACAddress(value).description) ?? value
                ports = ports.filter { $0.address == mac }
            case "portgroup":
                let group = Identifier.uuidLike(value) ?? api.lookup.fleet.owner(ofPortName: value)
                ports = ports.filter { $0.portGroupUUID != nil && $0.portGroupUUID == group }
            case "description_contains":
                ports = ports.filter { $0.description?.contains(value) ?? false }
            case _ where OwningNodeFilter.names.contains(name):
                let owners = OwningNodeFilter.owners(name, value: value, nodes: try api.lookup.all())
                ports = ports.filter { owners.contains($0.nodeUUID) }
            default:
                break
            }
        }
        ports = Self.sorted(ports, key: query.sortKey, descending: query.sortDescending)
        if let marker = query.marker {
            guard let index = ports.firstIndex(where: { $0.uuid == marker }) else {
                throw DomainError.resourceNotFound(kind: "Port", id: marker.lowercased)
            }
            ports = Array(ports[(index + 1)...])
        }
        let page = Array(ports.prefix(query.limit))
        let representation = api.portRepresentation(request, context)
        let detail = query.showsDetail(detailPath: detailPath)
        let documents = page.map { representation.document($0, fields: query.fields ?? (detail ? nil : PortFieldVersions.listDefault)) }
        var body: [String: JSONValue] = ["ports": .array(documents)]
        if page.count == query.limit, let last = page.last {
            let arguments = (query.nextArguments + [("limit", String(query.limit)), ("marker", last.uuid.lowercased)])
                .map { "\($0.0)=\(NodeCollectionRoutes.escape($0.1))" }.joined(separator: "&")
            body["next"] = .string("\(representation.baseURL)/v1/\(path)\(detailPath ? "/detail" : "")?\(arguments)")
        }
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }

    /// `ports` by `key` (`id` = creation order), UUID breaking ties, `null` first.
    static func sorted(_ ports: [Domain.Port], key: String, descending: Bool) -> [Domain.Port] {
        let keyed: [(JSONValue, Domain.Port)] = ports.map { port in
            (key == "id" ? .number(Double(port.createdAt)) : PortRepresentation.values(port)[key] ?? .null, port)
        }
        let ascending = keyed.sorted { lhs, rhs in
            let order = NodeSorting.compare(lhs.0, rhs.0)
            return order != 0 ? order < 0 : lhs.1.uuid.uuidString < rhs.1.uuid.uuidString
        }.map(\.1)
        return descending ? ascending.reversed() : ascending
    }
}
