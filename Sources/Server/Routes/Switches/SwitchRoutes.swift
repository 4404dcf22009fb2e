import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/switches` (an Ironlog extension, at every microversion): the switches the `switch`
/// network interface configures. List, show (by UUID or name), register (`name`, `switch_id`,
/// `driver` `ovs`, `ovsdb`, `bridge`), delete (409 while node ports are on its ports on a
/// network), and `GET /v1/switches/{ident}/ports`: which VLAN each of its ports is on, since
/// when and why, read from the port-bindings read model.
struct SwitchRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/switches", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let base = api.baseURL(request)
            let switches = try api.conductor.switches.all().sorted { $0.name < $1.name }
            return try JSONBody(value: ["switches": .array(switches.map { Self.document($0, baseURL: base) })]).response(from: request, context: context)
        }
        table.on("/switches", .post) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            var body = try await RequestBody.object(request, context: context)
            try RequestBody.refuseUnknown(body, allowed: ManagedSwitchDecider.fields.union(["uuid"]))
            let uuid = try PortCollectionRoutes.newUUID(body.removeValue(forKey: "uuid"))
            let managedSwitch = try await api.conductor.switches.create(uuid: uuid, fields: body, metadata: context.eventMetadata)
            let base = api.baseURL(request)
            return try JSONBody(value: Self.document(managedSwitch, baseURL: base), status: .created,
                                headers: [.location: "\(base)/v1/switches/\(managedSwitch.uuid.lowercased)"]).response(from: request, context: context)
        }
        table.on("/switches/:switch_ident", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            return try JSONBody(value: Self.document(try found(context), baseURL: api.baseURL(request))).response(from: request, context: context)
        }
        table.on("/switches/:switch_ident", .delete) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            try await api.conductor.switches.delete(try found(context).uuid, metadata: context.eventMetadata)
            return EmptyResponse.noContent
        }
        table.on("/switches/:switch_ident/ports", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let ports = try api.conductor.switches.ports(of: try found(context).name)
            return try JSONBody(value: ["ports": .array(ports.map { Self.document($0) })]).response(from: request, context: context)
        }
    }

    /// The switch the route's `switch_ident` names.
    private func found(_ context: IronlogRequestContext) throws -> ManagedSwitch {
        let ident = try context.parameters.require("switch_ident")
        guard let managedSwitch = try api.conductor.switches.managedSwitch(ident) else { throw DomainError.resourceNotFound(kind: "Switch", id: ident) }
        return managedSwitch
    }

    /// A switch's document, with its `links` and its `ports` link.
    static func document(_ managedSwitch: ManagedSwitch, baseURL: String) -> JSONValue {
        let path = "switches/\(managedSwitch.uuid.lowercased)"
        return [
            "uuid": .string(managedSwitch.uuid.lowercased), "name": .string(managedSwitch.name), "switch_id": .string(managedSwitch.switchID),
            "driver": .string(managedSwitch.driver), "ovsdb": .string(managedSwitch.ovsdb), "bridge": .string(managedSwitch.bridge),
            "created_at": Timestamp.json(managedSwitch.createdAt), "updated_at": Timestamp.json(managedSwitch.updatedAt),
            "links": ResourceLinks.pair(baseURL: baseURL, path: path),
            "ports": ResourceLinks.pair(baseURL: baseURL, path: path + "/ports"),
        ]
    }

    /// One switch port: the node port cabled to it and where it is, since when and why.
    static func document(_ binding: SwitchPortBinding) -> JSONValue {
        let change = binding.state.change
        return [
            "switch_port": .string(change.switchPort), "vlan": .number(Double(change.vlan)), "parked": .bool(change.isParked),
            "network": change.network.map(JSONValue.string) ?? .null, "phase": change.phase.map { JSONValue.string($0.rawValue) } ?? .null,
            "reason": .string(change.reason), "since": Timestamp.json(binding.state.since),
            "port_uuid": .string(binding.port.lowercased), "node_uuid": .string(binding.row.node.lowercased),
            "address": binding.row.address.map(JSONValue.string) ?? .null, "vif": binding.row.vif.map(JSONValue.string) ?? .null,
        ]
    }
}
