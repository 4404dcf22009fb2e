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
        try NodeAPI.refuseUnknownQuery(request, allowed: ["type", "detail", "fields"])
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
        let fields = try Self.fields(request, context)
        if fields != nil, query["detail"] != nil { throw IronicError.badRequest("Can not specify ?detail=True and fields in the same request.") }
        let representation = representation(request, context)
        let types = classic ? [] : api.conductor.drivers.hardwareTypes.values.sorted { $0.name < $1.name }
        let documents = types.map { type in
            fields.map { Self.select($0, from: representation.document(type, detail: true)) } ?? representation.document(type, detail: detail)
        }
        return try JSONBody(value: ["drivers": .array(documents)]).response(from: request, context: context)
    }

    /// One hardware type, in detail.
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
        let fields = try Self.fields(request, context)
        let document = representation(request, context).document(try type(context), detail: true)
        return try JSONBody(value: fields.map { Self.select($0, from: document) } ?? document).response(from: request, context: context)
    }

    /// The fields a driver document may be narrowed to (1.77).
    static var knownFields: Set<String> {
        var names: Set<String> = ["name", "hosts", "type", "links", "properties"]
        for kind in HardwareInterfaceKind.allCases {
            names.insert("default_\(kind.rawValue)_interface")
            names.insert("enabled_\(kind.rawValue)_interfaces")
        }
        return names
    }

    /// `?fields=` (1.77; 406 before, 400 for a name drivers do not have), or `nil`.
    static func fields(_ request: Request, _ context: IronlogRequestContext) throws -> [String]? {
        guard let selection = request.uri.queryParameters["fields"] else { return nil }
        guard context.apiVersion.allows(77) else { throw IronicError.needsVersion("The \"fields\" parameter", 77, requested: context.apiVersion) }
        let fields = FieldSelection.names(selection)
        let unknown = fields.filter { !knownFields.contains($0) }
        if !unknown.isEmpty { throw IronicError.badRequest("Field(s) \"\(unknown.joined(separator: ", "))\" are not valid") }
        return fields
    }

    /// `document` with only `fields` (and its links, which are always kept).
    static func select(_ fields: [String], from document: JSONValue) -> JSONValue {
        guard case .object(let members) = document else { return document }
        let keep = Set(fields + ["links"])
        return .object(members.filter { keep.contains($0.key) })
    }

    /// `{property: description}` for the driver_info the type's interfaces read.
    func properties(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        return try JSONBody(value: representation(request, context).properties(try type(context))).response(from: request, context: context)
    }
}
