import Hummingbird

/// `GET /v1/openapi.json` (an Ironlog extension, at every microversion): the OpenAPI document of
/// the API (see ``OpenAPIDocument``).
struct OpenAPIRoutes {
    /// Adds the route, loading the document now: a build missing its resource bundle then fails as
    /// the server starts, not at the first request for the document.
    func register(on table: RouteTable) {
        _ = OpenAPIDocument.bundled
        table.on("/openapi.json", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            guard let document = OpenAPIDocument.served(range: context.versionRange) else {
                throw IronicError.internalError("The OpenAPI document is missing from this build.")
            }
            return try JSONBody(value: document).response(from: request, context: context)
        }
    }
}
