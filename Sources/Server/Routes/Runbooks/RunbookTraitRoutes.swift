import Domain
import Engine
import Foundation
import Hummingbird

/// `/v1/runbooks/{id}/traits[/{trait}]` (1.112): list, replace all (`{"traits": [...]}`), add one,
/// remove one or all — the further traits that approve a runbook for a node. Below 1.112: 404.
struct RunbookTraitRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        let runbooks = RunbookRoutes(api: api)
        table.on("/runbooks/:runbook_ident/traits", .get) { request, context in
            let runbook = try found(request, context, runbooks)
            return try JSONBody(value: ["traits": .array(runbook.traits.map(JSONValue.string))]).response(from: request, context: context)
        }
        table.on("/runbooks/:runbook_ident/traits", .put) { request, context in
            let runbook = try found(request, context, runbooks)
            let body = try await RequestBody.object(request, context: context)
            try RequestBody.refuseUnknown(body, allowed: ["traits"])
            guard case .array(let items)? = body["traits"], items.allSatisfy({ $0.stringValue != nil }) else {
                throw IronicError.badRequest("A single runbook trait may be added via PUT /v1/runbooks/<runbook identifier>/traits/<trait> with no body, "
                    + "or all runbook traits may be replaced via PUT /v1/runbooks/<runbook identifier>/traits with the list of traits specified in the request body.")
            }
            let traits = items.compactMap(\.stringValue)
            _ = try await api.conductor.runbooks.setTraits(runbook.uuid, metadata: context.eventMetadata) { _ in traits }
            return EmptyResponse.noContent
        }
        table.on("/runbooks/:runbook_ident/traits", .delete) { request, context in
            let runbook = try found(request, context, runbooks)
            _ = try await api.conductor.runbooks.setTraits(runbook.uuid, metadata: context.eventMetadata) { _ in [] }
            return EmptyResponse.noContent
        }
        table.on("/runbooks/:runbook_ident/traits/:trait", .put) { request, context in
            let runbook = try found(request, context, runbooks)
            let trait = try context.parameters.require("trait")
            _ = try await api.conductor.runbooks.setTraits(runbook.uuid, metadata: context.eventMetadata) { $0 + [trait] }
            return EmptyResponse.noContent
        }
        table.on("/runbooks/:runbook_ident/traits/:trait", .delete) { request, context in
            let runbook = try found(request, context, runbooks)
            let trait = try context.parameters.require("trait")
            _ = try await api.conductor.runbooks.setTraits(runbook.uuid, metadata: context.eventMetadata) { $0.filter { $0 != trait } }
            return EmptyResponse.noContent
        }
    }

    private func found(_ request: Request, _ context: IronlogRequestContext, _ runbooks: RunbookRoutes) throws -> Runbook {
        try runbooks.gate(request, context)
        guard context.apiVersion.allows(112) else { throw IronicError.notFound("The API version does not allow runbook traits") }
        try NodeAPI.refuseUnknownQuery(request)
        return try runbooks.found(context)
    }
}
