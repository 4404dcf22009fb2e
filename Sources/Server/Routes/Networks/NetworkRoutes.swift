import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/networks` (an Ironlog extension, at every microversion): the networks VIFs and the
/// engine's phases name, since there is no Neutron. List, show (by UUID or name), create
/// (`name`, `vlan` 1–4094, optional `physical_network`), delete (409 while in use). A network
/// does not change once created: delete it and create another.
struct NetworkRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/networks", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let base = api.baseURL(request)
            let networks = try api.conductor.networks.all().sorted { $0.name < $1.name }
            return try JSONBody(value: ["networks": .array(networks.map { Self.document($0, baseURL: base) })]).response(from: request, context: context)
        }
        table.on("/networks", .post) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            var body = try await RequestBody.object(request, context: context)
            try RequestBody.refuseUnknown(body, allowed: NetworkDecider.fields.union(["uuid"]))
            let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
            let network = try await api.conductor.networks.create(uuid: uuid, fields: body, metadata: context.eventMetadata)
            let base = api.baseURL(request)
            return try JSONBody(value: Self.document(network, baseURL: base), status: .created,
                                headers: [.location: "\(base)/v1/networks/\(network.uuid.lowercased)"]).response(from: request, context: context)
        }
        table.on("/networks/:network_ident", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            return try JSONBody(value: Self.document(try found(context), baseURL: api.baseURL(request))).response(from: request, context: context)
        }
        table.on("/networks/:network_ident", .delete) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            try await api.conductor.networks.delete(try found(context).uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
    }

    /// The network the route's `network_ident` names.
    private func found(_ context: IronlogRequestContext) throws -> Network {
        let ident = try context.parameters.require("network_ident")
        guard let network = try api.conductor.networks.network(ident) else { throw DomainError.resourceNotFound(kind: "Network", id: ident) }
        return network
    }

    /// A network's document, with its `links`.
    static func document(_ network: Network, baseURL: String) -> JSONValue {
        [
            "uuid": .string(network.uuid.lowercased), "name": .string(network.name), "vlan": .number(Double(network.vlan)),
            "physical_network": network.physicalNetwork.map(JSONValue.string) ?? .null,
            "created_at": Timestamp.json(network.createdAt), "updated_at": Timestamp.json(network.updatedAt),
            "links": ResourceLinks.pair(baseURL: baseURL, path: "networks/\(network.uuid.lowercased)"),
        ]
    }
}
