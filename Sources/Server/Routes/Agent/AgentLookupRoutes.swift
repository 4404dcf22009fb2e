import Domain
import Foundation
import Hummingbird

/// `GET /v1/lookup?addresses=…&node_uuid=…` (1.22): the ramdisk agent finds its node by a MAC of
/// one of its ports or by UUID, and gets its configuration and — the first time — its token.
struct AgentLookupRoutes {
    let api: NodeAPI
    let sessions: AgentSessions

    /// Ironic's `[api]ramdisk_heartbeat_timeout`.
    static let heartbeatTimeout = 300

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/lookup", .get) { request, context in try lookup(request, context) }
    }

    /// The node and the agent's configuration; 404 when no node matches or it is not in a state an
    /// agent works in (the same 404, as Ironic does on purpose).
    func lookup(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(22, context)
        try NodeAPI.refuseUnknownQuery(request, allowed: ["addresses", "node_uuid"])
        let query = request.uri.queryParameters
        let addresses = query["addresses"].map { String($0).split(separator: ",").compactMap { try? MACAddress(String($0)).description } } ?? []
        var nodeUUID: UUID?
        if let text = query["node_uuid"] {
            guard let parsed = Identifier.uuidLike(String(text)) else { throw IronicError.badRequest("Invalid UUID for node_uuid: \(text)") }
            nodeUUID = parsed
        }
        guard nodeUUID != nil || !addresses.isEmpty else {
            throw IronicError.badRequest("Either node_uuid or addresses (valid MAC addresses) must be provided.")
        }
        let notFound = IronicError.notFound("Node could not be found.")
        let fleet = api.lookup.fleet
        let owner = nodeUUID ?? addresses.lazy.compactMap { fleet.owner(ofMAC: $0).flatMap(fleet.node(owning:)) }.first
        guard let owner, let aggregate = try api.conductor.commands.aggregate(owner), !aggregate.deleted else { throw notFound }
        guard AgentStates.lookupAllowed.contains(aggregate.node.provisionState) else {
            sessions.end(for: owner)
            throw notFound
        }
        let (token, fresh) = sessions.issue(for: owner)
        let values = api.representation(request, context).allValues(aggregate)
        let node: JSONValue = [
            "uuid": .string(owner.lowercased), "properties": values["properties"] ?? .emptyObject,
            "instance_info": values["instance_info"] ?? .emptyObject,
            "driver_internal_info": values["driver_internal_info"] ?? .emptyObject,
            "links": ResourceLinks.pair(baseURL: api.baseURL(request), path: "nodes/\(owner.lowercased)"),
        ]
        let config: JSONValue = [
            "heartbeat_timeout": .number(Double(Self.heartbeatTimeout)),
            "agent_token": .string(fresh ? token : SecretFields.mask), "agent_token_required": true,
            "metrics": ["backend": "noop", "prepend_host": false, "prepend_uuid": false, "prepend_host_reverse": true, "global_prefix": nil],
            "metrics_statsd": ["statsd_host": "localhost", "statsd_port": 8125],
        ]
        return try JSONBody(value: ["node": node, "config": config]).response(from: request, context: context)
    }
}
