import Domain
import Drivers
import Hummingbird

/// `GET /v1/drivers`, `GET /v1/drivers/{driver_name}` and `GET /v1/drivers/{driver_name}/properties`:
/// the hardware types this conductor has (every one is `dynamic`; there are no classic drivers).
struct DriverRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/drivers", .get) { request, context in try list(request, context) }
        table.on("/drivers/:driver_name", .get) { request, context in try show(request, context) }
        table.on("/drivers/:driver_name/properties", .get) { request, context in try properties(request, context) }
    }

    /// How drivers are shown to this request.
    func representation(_ request: Request, _ context: IronlogRequestContext) -> DriverRepresentation {
        DriverRepresentation(baseURL: api.baseURL(request), version: context.apiVersion,
                             host: api.conductor.commands.reservation.host, registry: api.conductor.drivers)
    }

    /// The hardware type the route names; 404 for one this conductor does not have.
    func type(_ context: IronlogRequestContext) throws -> HardwareType {
        let name = try context.parameters.require("driver_name")
        guard let type = api.conductor.drivers.hardwareTypes[name] else {
            throw IronicError.notFound("Could not find the following driver(s) or hardware type(s): \(name).")
        }
        return type
    }

    /// Every hardware type, sorted by name; `?type=classic` is empty, `?detail=True` adds interfaces.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["type", "detail"])
        let version = context.apiVersion
        let query = request.uri.queryParameters
        var classic = false, detail = false
        if let kind = query["type"] {
            guard version.allows(30) else { throw IronicError.needsVersion("The \"type\" parameter", 30, requested: version) }
            guard kind == "dynamic" || kind == "classic" else { throw IronicError.badRequest("Invalid driver type \(kind): it must be classic or dynamic.") }
            classic = kind == "classic"
        }
        if let value = query["detail"] {
            guard version.allows(30) else { throw IronicError.needsVersion("The \"detail\" parameter", 30, requested: version) }
            detail = try NodeListQuery.bool(String(value), "detail")
        }
        let representation = representation(request, context)
        let types = classic ? [] : api.conductor.drivers.hardwareTypes.values.sorted { $0.name < $1.name }
        return try JSONBody(value: ["drivers": .array(types.map { representation.document($0, detail: detail) })])
            .response(from: request, context: context)
    }

    /// One hardware type, in detail.
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        return try JSONBody(value: representation(request, context).document(try type(context), detail: true)).response(from: request, context: context)
    }

    /// `{property: description}` for the driver_info the type's interfaces read.
    func properties(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        return try JSONBody(value: representation(request, context).properties(try type(context))).response(from: request, context: context)
    }
}
