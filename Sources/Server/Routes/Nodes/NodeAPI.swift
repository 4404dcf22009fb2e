import Domain
import Engine
import EventStore
import Foundation
import Hummingbird

/// What every node route shares: the conductor, finding nodes, rendering them, and sending
/// commands with the request's metadata.
struct NodeAPI: Sendable {
    /// The engine the routes drive.
    let conductor: Conductor
    /// The bound address, for links when a request has no `Host`.
    let configuration: ServerConfiguration

    /// The fleet as last decoded from the node projection.
    let fleetSnapshot = FleetSnapshot()
    /// Node documents already written as JSON text.
    let documents = NodeDocumentCache()

    /// Finds nodes by ident.
    var lookup: NodeLookup { NodeLookup(conductor: conductor, snapshot: fleetSnapshot) }

    /// The JSON text of `aggregate` as `representation` shows it with `fields` (every field the
    /// version shows if `nil`) and, when `subResources`, the sub-resource links.
    func documentText(_ aggregate: NodeAggregate, _ representation: NodeRepresentation,
                      fields: [String]? = nil, subResources: Bool = true) -> [UInt8] {
        let variant = NodeDocumentCache.Variant(
            baseURL: representation.baseURL, version: representation.version, fields: fields, subResources: subResources
        )
        return documents.text(of: aggregate, as: variant) {
            representation.document(aggregate, fields: fields, subResources: subResources)
        }
    }

    /// `http://host:port` for the request's links.
    func baseURL(_ request: Request) -> String { PublicBaseURL.of(request, configuration: configuration) }

    /// How nodes are shown to this request.
    func representation(_ request: Request, _ context: IronlogRequestContext) -> NodeRepresentation {
        NodeRepresentation(baseURL: baseURL(request), version: context.apiVersion, conductorHost: conductor.commands.reservation.host)
    }

    /// Sends `command` for `node` as the request's caller, with its request id.
    @discardableResult
    func handle(_ command: NodeCommand, node: UUID, _ context: IronlogRequestContext) async throws -> NodeCommandHandler.Outcome {
        try await conductor.commands.handle(command, node: node, metadata: context.eventMetadata)
    }

    /// A node sub-resource that exists from `1.minor` on: older requests get 404, as in Ironic.
    static func requireEndpoint(_ minor: Int, _ context: IronlogRequestContext) throws {
        guard context.apiVersion.allows(minor) else { throw IronicError.notFound() }
    }

    /// Refuses any query parameter other than `allowed`.
    static func refuseUnknownQuery(_ request: Request, allowed: Set<String> = []) throws {
        for (key, _) in request.uri.queryParameters where !allowed.contains(String(key)) {
            throw IronicError.badRequest("Unknown argument: \"\(key)\"")
        }
    }
}
