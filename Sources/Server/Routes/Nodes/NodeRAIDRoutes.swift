import Domain
import Foundation
import Hummingbird

/// `PUT /v1/nodes/{node_ident}/states/raid` (1.12): the target RAID configuration the next
/// cleaning applies, stored as the node's `target_raid_config`; `{}` clears it.
struct NodeRAIDRoutes {
    let api: NodeAPI

    /// The RAID interfaces that can not configure RAID: Ironic answers 404 for them.
    static let unsupported: Set<String> = ["no-raid"]

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/states/raid", .put) { request, context in try await setTarget(request, context) }
    }

    /// Checks the configuration's shape and records it: 204.
    func setTarget(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        guard context.apiVersion.allows(12) else {
            throw IronicError.needsVersion("Setting the target RAID configuration", 12, requested: context.apiVersion)
        }
        try NodeAPI.refuseUnknownQuery(request)
        let config = try await RequestBody.object(request, context: context)
        let aggregate = try api.lookup.node(context)
        let raid = aggregate.node.interfaces[.raid] ?? "no-raid"
        if Self.unsupported.contains(raid) {
            throw IronicError.notFound("Node \(aggregate.uuid.lowercased) does not support RAID: its raid interface is \(raid).")
        }
        try await api.handle(.setTargetRAIDConfig(.object(config)), node: aggregate.uuid, context)
        return EmptyResponse.noContent
    }
}
