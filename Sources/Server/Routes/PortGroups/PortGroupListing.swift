import Domain
import Foundation
import Hummingbird

/// Answers a port group list — `/v1/portgroups`, `/v1/portgroups/detail` and the node-scoped
/// `/v1/nodes/{node}/portgroups[/detail]` — filtered, sorted, paged as ports are.
struct PortGroupListing {
    let api: NodeAPI

    /// The page for `request`; `node` restricts it to one node's groups.
    func list(_ request: Request, _ context: IronlogRequestContext, detailPath: Bool,
              node: NodeAggregate? = nil, path: String) throws -> Response {
        let version = context.apiVersion
        let query = try ResourceListQuery(request, resource: .portGroups, version: version, detailPath: detailPath, nodeScoped: node != nil)
        var groups = try node.map { Array($0.portGroups.values) } ?? PortGroupLookup(nodes: api.lookup).all()
        for (name, value) in query.filterValues {
            switch name {
            case "node":
                let owner = try api.lookup.node(ident: value, version: version).uuid
                groups = groups.filter { $0.nodeUUID == owner }
            case "address":
                let mac = (try? MACAddress(value).description) ?? value
                groups = groups.filter { $0.address == mac }
            case _ where OwningNodeFilter.names.contains(name):
                let owners = OwningNodeFilter.owners(name, value: value, nodes: try api.lookup.all())
                groups = groups.filter { owners.contains($0.nodeUUID) }
            default:
                break
            }
        }
        let keyed: [(JSONValue, PortGroup)] = groups.map { group in
            (query.sortKey == "id" ? .number(Double(group.createdAt)) : PortGroupRepresentation.values(group)[query.sortKey] ?? .null, group)
        }
        groups = keyed.sorted { lhs, rhs in
            let order = NodeSorting.compare(lhs.0, rhs.0)
            return order != 0 ? order < 0 : lhs.1.uuid.uuidString < rhs.1.uuid.uuidString
        }.map(\.1)
        if query.sortDescending { groups.reverse() }
        if let marker = query.marker {
            guard let index = groups.firstIndex(where: { $0.uuid == marker }) else {
                throw DomainError.resourceNotFound(kind: "Portgroup", id: marker.lowercased)
            }
            groups = Array(groups[(index + 1)...])
        }
        let page = Array(groups.prefix(query.limit))
        let representation = api.portGroupRepresentation(request, context)
        let detail = query.showsDetail(detailPath: detailPath)
        let documents = page.map { representation.document($0, fields: query.fields ?? (detail ? nil : PortGroupFieldVersions.listDefault)) }
        var body: [String: JSONValue] = ["portgroups": .array(documents)]
        if page.count == query.limit, let last = page.last {
            let arguments = (query.nextArguments + [("limit", String(query.limit)), ("marker", last.uuid.lowercased)])
                .map { "\($0.0)=\(NodeCollectionRoutes.escape($0.1))" }.joined(separator: "&")
            body["next"] = .string("\(representation.baseURL)/v1/\(path)\(detailPath ? "/detail" : "")?\(arguments)")
        }
        return try JSONBody(value: .object(body)).response(from: request, context: context)
    }
}
