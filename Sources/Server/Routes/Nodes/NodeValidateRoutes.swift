import Domain
import Drivers
import Hummingbird

/// `GET /v1/nodes/{id}/validate`: each interface's verdict, through the conductor.
struct NodeValidateRoutes {
    let api: NodeAPI

    /// The interfaces Ironic reports on (every kind but `vendor`).
    static let reported: [HardwareInterfaceKind] = HardwareInterfaceKind.allCases.filter { $0 != .vendor }

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/validate", .get) { request, context in try validate(request, context) }
    }

    /// `{"power": {"result": true, "reason": null}, …}`.
    func validate(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let verdicts = try api.conductor.validate(aggregate.uuid)
        var document: [String: JSONValue] = [:]
        for kind in Self.reported {
            let verdict = verdicts[kind]
            document[kind.rawValue] = [
                "result": verdict.map { .bool($0.result) } ?? .null,
                "reason": verdict?.reason.map(JSONValue.string) ?? .null,
            ]
        }
        return try JSONBody(value: .object(document)).response(from: request, context: context)
    }
}
