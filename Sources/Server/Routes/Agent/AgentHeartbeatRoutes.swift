import Domain
import Foundation
import Hummingbird

/// `POST /v1/heartbeat/{node_ident}` (1.22): the ramdisk agent says it is alive; a node waiting
/// for its call-back goes on. Always 202 when accepted, as Ironic answers.
struct AgentHeartbeatRoutes {
    let api: NodeAPI
    let sessions: AgentSessions

    /// The body members, with their microversions.
    static let members: [String: Int] = [
        "callback_url": 22, "agent_version": 36, "agent_token": 62, "agent_verify_ca": 68, "agent_status": 72,
        "agent_status_message": 72,
    ]

    /// The statuses an agent may report (1.72).
    static let statuses: Set<String> = ["start", "end", "error"]

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/heartbeat/:node_ident", .post) { request, context in try await heartbeat(request, context) }
    }

    /// Checks the heartbeat and its token, then calls the node back if it waits: 202.
    func heartbeat(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(22, context)
        try NodeAPI.refuseUnknownQuery(request)
        let version = context.apiVersion
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: Set(Self.members.keys))
        for name in body.keys.sorted() where !version.allows(Self.members[name]!) {
            throw IronicError.badRequest("Field \"\(name)\" not recognised in API version \(version); it needs 1.\(Self.members[name]!).")
        }
        guard let callback = try RequestBody.string(body, "callback_url", nullable: false) else { throw DomainError.missingParameter("callback_url") }
        guard let url = URL(string: callback), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw IronicError.badRequest("Invalid callback_url \(callback): it must be an http or https URL.")
        }
        _ = try RequestBody.string(body, "agent_version")
        _ = try RequestBody.string(body, "agent_verify_ca")
        _ = try RequestBody.string(body, "agent_status_message")
        if let status = try RequestBody.string(body, "agent_status"), !Self.statuses.contains(status) {
            throw IronicError.badRequest("Invalid agent_status \(status): it must be one of end, error, start.")
        }
        let aggregate = try api.lookup.node(context)
        let node = aggregate.uuid
        let token = try RequestBody.string(body, "agent_token")
        if let session = sessions.session(for: node) {
            if version.allows(62) || token != nil {
                guard let token else { throw IronicError.badRequest("Agent token is required for heartbeat processing.") }
                guard token == session.token else { throw IronicError.badRequest("Invalid or missing agent token received.") }
            }
            if let known = session.callbackURL, known != callback {
                throw IronicError.badRequest("The callback_url changed from the one the agent gave before.")
            }
        } else if token != nil {
            throw IronicError.badRequest("Invalid or missing agent token received.")
        }
        sessions.record(callbackURL: callback, for: node)
        if AgentStates.waitingForCallBack.contains(aggregate.node.provisionState) {
            try await api.conductor.agentCallBack(node, metadata: context.eventMetadata)
        } else if !AgentStates.lookupAllowed.contains(aggregate.node.provisionState) {
            sessions.end(for: node)
        }
        return EmptyResponse.accepted(location: nil)
    }
}
