import Hummingbird

/// `GET /ui/` and its files: the web UI shipped with Ironlog (see `docs/ui.md`).
///
/// - `GET /ui` redirects to `/ui/`, so the page's relative module paths resolve under `/ui/`.
/// - `GET /ui/` is `index.html`; `GET /ui/{file}` any other file of ``UIAssets``; an unknown file
///   is 404 with Ironic's error body.
/// - Every file is `Cache-Control: no-cache` with an `ETag`: browsers keep it but ask each time,
///   and `If-None-Match` with the current tag is answered 304 without a body.
/// - The files are public even under `--htpasswd` (``HTTPBasicAuthMiddleware/isPublic(path:)``):
///   they hold no data; every API call the page makes carries the credentials its user typed.
///
/// These routes are not part of the REST API, so they are registered outside `/v1` and left out of
/// the OpenAPI document (``RegisteredRoute/isOutsideAPI``).
struct UIRoutes {
    /// The files served.
    var assets: UIAssets = .bundled

    /// The path prefix.
    static let prefix = "/ui"

    /// Adds the routes.
    func register(on table: RouteTable) {
        let assets = assets
        // The router matches `/ui` and `/ui/` alike; the path tells them apart.
        table.onOutsideAPI(Self.prefix, .get) { request, _ in
            guard request.uri.path.hasSuffix("/") else {
                return Response(status: .movedPermanently, headers: [.location: Self.prefix + "/", .cacheControl: "no-cache"])
            }
            return try Self.serve("index.html", from: assets, request: request)
        }
        table.onOutsideAPI(Self.prefix + "/:file", .get) { request, context in
            try Self.serve(context.parameters.get("file") ?? "", from: assets, request: request)
        }
    }

    /// The response for `name`: the file, a 304 when the request already holds it, or 404.
    static func serve(_ name: String, from assets: UIAssets, request: Request) throws -> Response {
        guard let asset = assets.files[name] else {
            throw IronicError.notFound("The web UI has no file \(name.isEmpty ? "by that name" : "'\(name)'").")
        }
        var headers: HTTPFields = [.cacheControl: "no-cache", .eTag: asset.entityTag]
        if let held = request.headers[.ifNoneMatch], held.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == asset.entityTag
        }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
