import Domain
import Hummingbird

/// `GET /v1/nodes/{id}/firmware` (1.86; 404 before): the firmware components the node's
/// firmware interface last reported, as recorded in its log (`FirmwareComponentsCached`).
struct NodeFirmwareRoutes {
    let api: NodeAPI

    /// The microversion that adds `/firmware` and `firmware_interface`.
    static let minor = 86
    /// The microversion that adds each component's `vendor`, `model` and `serial_number`.
    static let identityMinor = 114

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/firmware", .get) { request, context in try list(request, context) }
    }

    /// `{"firmware": [{"component", "initial_version", "current_version", "last_version_flashed",
    /// "created_at", "updated_at"}, …]}`, each with `vendor`, `model` and `serial_number` from 1.114.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let identified = context.apiVersion.allows(Self.identityMinor)
        let components: [JSONValue] = aggregate.firmwareComponents.map { component in
            var document: [String: JSONValue] = [
                "component": .string(component.component),
                "initial_version": .string(component.initialVersion),
                "current_version": component.currentVersion.map(JSONValue.string) ?? .null,
                "last_version_flashed": component.lastVersionFlashed.map(JSONValue.string) ?? .null,
                "created_at": Timestamp.json(component.createdAt),
                "updated_at": Timestamp.json(component.updatedAt),
            ]
            if identified {
                document["vendor"] = component.vendor.map(JSONValue.string) ?? .null
                document["model"] = component.model.map(JSONValue.string) ?? .null
                document["serial_number"] = component.serialNumber.map(JSONValue.string) ?? .null
            }
            return .object(document)
        }
        return try JSONBody(value: ["firmware": .array(components)]).response(from: request, context: context)
    }
}
