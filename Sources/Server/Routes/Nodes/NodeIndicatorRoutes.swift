import Domain
import Hummingbird

/// `/v1/nodes/{id}/management/indicators` (1.63; 404 before): the node's indicators (LEDs)
/// through its management interface. An indicator is named `{indicator}@{component}`, as Ironic
/// names it (`led@system`); a state change is recorded (`IndicatorSet`).
struct NodeIndicatorRoutes {
    let api: NodeAPI

    /// The microversion that adds indicators.
    static let minor = 63

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/management/indicators", .get) { request, context in try list(request, context) }
        table.on("/nodes/:node_ident/management/indicators/:indicator", .get) { request, context in try await show(request, context) }
        table.on("/nodes/:node_ident/management/indicators/:indicator", .put) { request, context in try await set(request, context) }
    }

    /// `{"indicators": [{"name", "component", "readonly", "states", "links"}, …]}`.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let offered = try api.conductor.indicators(aggregate.uuid)
        let indicators: [JSONValue] = offered.sorted { $0.key < $1.key }.map { indicator, capability in
            [
                "name": .string(indicator.description),
                "component": .string(indicator.component.rawValue),
                "readonly": .bool(capability.readOnly),
                "states": .array(capability.states.map { .string($0.rawValue) }),
                "links": ResourceLinks.pair(baseURL: api.baseURL(request),
                                            path: "nodes/\(aggregate.uuid.lowercased)/management/indicators/\(indicator)"),
            ]
        }
        return try JSONBody(value: ["indicators": .array(indicators)]).response(from: request, context: context)
    }

    /// `{"state": "ON"|"OFF"|"BLINKING"|"UNKNOWN"}`, as the BMC says.
    func show(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let indicator = try Self.indicator(context)
        let aggregate = try api.lookup.node(context)
        let state = try await api.conductor.indicatorState(aggregate.uuid, indicator)
        return try JSONBody(value: ["state": .string(state.rawValue)]).response(from: request, context: context)
    }

    /// Sets the indicator to the body's `state`: 204.
    func set(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let indicator = try Self.indicator(context)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["state"])
        guard let name = try RequestBody.string(body, "state", nullable: false) else { throw DomainError.missingParameter("state") }
        guard let state = IndicatorState(rawValue: name), state != .unknown else {
            throw IronicError.badRequest("Invalid indicator state \(name); valid states are ON, OFF, BLINKING.")
        }
        let aggregate = try api.lookup.node(context)
        try await api.conductor.setIndicator(aggregate.uuid, indicator, state, metadata: context.eventMetadata)
        return EmptyResponse.noContent
    }

    /// The `{indicator}@{component}` of the path; 400 if it is not one.
    static func indicator(_ context: IronlogRequestContext) throws -> IndicatorID {
        let text = try context.parameters.require("indicator")
        guard let indicator = IndicatorID(parsing: text) else {
            throw IronicError.badRequest("Invalid indicator \(text): it must be {indicator}@{component}, the component one of "
                + IndicatorComponent.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        return indicator
    }
}
