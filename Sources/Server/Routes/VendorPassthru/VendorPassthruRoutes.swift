import Domain
import Drivers
import Engine
import Hummingbird

/// Vendor passthru (every version): `GET /v1/nodes/{id}/vendor_passthru/methods` and
/// `GET`/`POST`/`PUT`/`PATCH`/`DELETE /v1/nodes/{id}/vendor_passthru?method=NAME` through the
/// node's vendor interface; `GET /v1/drivers/{name}/vendor_passthru/methods` and the same five
/// methods on `/v1/drivers/{name}/vendor_passthru?method=NAME` through the hardware type's default
/// vendor interface. A call answers 202 (asynchronous method, no body) or 200 with the method's
/// return value (synchronous); an unknown method, an HTTP method it does not answer, or arguments
/// it refuses are 400.
struct VendorPassthruRoutes {
    let api: NodeAPI

    /// The HTTP methods a passthru call may use.
    static let httpMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/vendor_passthru/methods", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let aggregate = try api.lookup.node(context)
            return try JSONBody(value: Self.document(try api.conductor.vendorPassthruMethods(aggregate.uuid))).response(from: request, context: context)
        }
        table.on("/drivers/:driver_name/vendor_passthru/methods", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let driver = try DriverRoutes(api: api).type(context).name
            return try JSONBody(value: Self.document(try api.conductor.driverVendorPassthruMethods(driver))).response(from: request, context: context)
        }
        for method in Self.httpMethods {
            table.on("/nodes/:node_ident/vendor_passthru", method) { request, context in
                let (name, arguments) = try await Self.call(request, context)
                let aggregate = try api.lookup.node(context)
                let result = try await api.conductor.vendorPassthru(aggregate.uuid, method: name, httpMethod: request.method.rawValue,
                                                                    arguments: arguments, metadata: context.eventMetadata)
                return try Self.response(result, request, context)
            }
            table.on("/drivers/:driver_name/vendor_passthru", method) { request, context in
                let (name, arguments) = try await Self.call(request, context)
                let driver = try DriverRoutes(api: api).type(context).name
                let result = try await api.conductor.driverVendorPassthru(driver, method: name, httpMethod: request.method.rawValue, arguments: arguments)
                return try Self.response(result, request, context)
            }
        }
    }

    /// `{method: {http_methods, async, description, attach, require_exclusive_lock}}`.
    static func document(_ methods: [String: VendorPassthruMethod]) -> JSONValue {
        .object(methods.mapValues(\.json))
    }

    /// The `method` asked for and the arguments (the JSON object body, `{}` without one).
    static func call(_ request: Request, _ context: IronlogRequestContext) async throws -> (String, [String: JSONValue]) {
        try NodeAPI.refuseUnknownQuery(request, allowed: ["method"])
        guard let name = request.uri.queryParameters["method"].map(String.init), !name.isEmpty else {
            throw IronicError.badRequest("Method not specified")
        }
        return (name, try await RequestBody.object(request, context: context, optional: true))
    }

    /// 202 without a body for an asynchronous method, else 200 with its value.
    static func response(_ result: VendorPassthruResult, _ request: Request, _ context: IronlogRequestContext) throws -> Response {
        guard !result.isAsync else { return Response(status: .accepted) }
        return try JSONBody(value: result.value ?? .null).response(from: request, context: context)
    }
}
