import Domain
import Foundation
import Hummingbird

/// `POST /v1/continue_inspection` (1.84; 404 before): the ramdisk agent posts the inspection data
/// of a node in `inspect wait` — its `inventory`, and anything else (Ironic's `plugin_data`).
/// The node is found by `?node_uuid=` or by the MACs of the inventory's `interfaces`, as
/// `/v1/lookup` finds it; the inventory is recorded and inspection ends. 202 with
/// `{"uuid": …}`; 404 when no node in `inspect wait` matches.
struct ContinueInspectionRoutes {
    let api: NodeAPI

    /// The microversion that adds the endpoint.
    static let minor = 84

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/continue_inspection", .post) { request, context in try await post(request, context) }
    }

    /// Records the data and ends the node's inspection.
    func post(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request, allowed: ["node_uuid"])
        var data = try await RequestBody.object(request, context: context)
        guard case .object(let inventory)? = data.removeValue(forKey: "inventory") else {
            throw IronicError.badRequest("The inspection data needs an \"inventory\" object.")
        }
        guard case .array(let interfaces)? = inventory["interfaces"] else {
            throw IronicError.badRequest("The inventory needs \"interfaces\", a list.")
        }
        var nodeUUID: UUID?
        if let text = request.uri.queryParameters["node_uuid"] {
            guard let parsed = Identifier.uuidLike(String(text)) else { throw IronicError.badRequest("Invalid UUID for node_uuid: \(text)") }
            nodeUUID = parsed
        }
        let macs = interfaces.compactMap { $0["mac_address"]?.stringValue }.compactMap { try? MACAddress($0).description }
        guard nodeUUID != nil || !macs.isEmpty else {
            throw IronicError.badRequest("No valid MAC address in the inventory's interfaces, and no node_uuid given.")
        }
        let notFound = IronicError.notFound("Node could not be found.")
        let fleet = api.lookup.fleet
        let owner = nodeUUID ?? macs.lazy.compactMap { fleet.owner(ofMAC: $0).flatMap(fleet.node(owning:)) }.first
        guard let owner, let aggregate = try api.conductor.commands.aggregate(owner), !aggregate.deleted,
              aggregate.node.provisionState == .inspectWait else { throw notFound }
        try await api.conductor.agentCallBack(owner, inventory: .object(inventory), pluginData: .object(data), metadata: context.eventMetadata)
        var response = try JSONBody(value: ["uuid": .string(owner.lowercased)]).response(from: request, context: context)
        response.status = .accepted
        return response
    }
}
