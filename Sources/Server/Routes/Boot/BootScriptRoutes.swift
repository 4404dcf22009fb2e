import Domain
import Hummingbird

/// `GET /v1/boot/{node_ident}/ipxe`: the iPXE script the node boots now, as `text/plain` — the
/// agent's ramdisk while it deploys, cleans or is rescued, the instance's kernel and ramdisk for
/// the `ramdisk` deploy, or `sanhook`/`sanboot` of its boot volume. It is the very file the `ipxe`
/// boot interface wrote under the boot directory, read back, so the two never disagree.
///
/// **Access.** A boot-from-volume script carries the target's CHAP user name and password in
/// clear (iPXE needs them), so the route follows the API's authentication, as `/metrics` does:
/// with `--htpasswd` it needs credentials like any other request (iPXE sends them from the URL:
/// `chain http://user:password@host:6385/v1/boot/<uuid>/ipxe`). Without authentication it is
/// served on a loopback address only; a server exposed with `--insecure-no-auth` answers 403 here.
/// Responses are marked `Cache-Control: no-store`.
///
/// 404 when the node has no script: its boot interface is not `ipxe`, or it boots nothing from the
/// network now.
struct BootScriptRoutes {
    /// The content type of a script.
    static let contentType = "text/plain; charset=utf-8"

    let api: NodeAPI

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/boot/:node_ident/ipxe", .get) { request, context in try script(request, context) }
    }

    private func script(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        guard !api.configuration.isExposedWithoutAuthentication else {
            throw IronicError(status: .forbidden, faultString: "iPXE scripts carry boot volume credentials and are served without authentication "
                + "on a loopback address only; start the server with --htpasswd to serve them from \(api.configuration.host).")
        }
        try NodeAPI.refuseUnknownQuery(request)
        let node = try api.lookup.node(context)
        guard let script = try api.conductor.ipxeScript(of: node.uuid) else {
            throw IronicError.notFound("Node \(node.uuid.lowercased) has no iPXE script: its boot interface is not ipxe, "
                + "or it boots nothing from the network now.")
        }
        return Response(status: .ok, headers: [.contentType: Self.contentType, .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: script)))
    }
}
