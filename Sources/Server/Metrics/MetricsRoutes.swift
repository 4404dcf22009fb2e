import Engine
import Hummingbird

/// `GET /metrics`: the server's ``ServerMetrics`` in Prometheus' text format.
///
/// It follows the API's authentication: with `--htpasswd` it needs credentials like any other
/// request. Without authentication it is served on a loopback address only; a server exposed
/// with `--insecure-no-auth` answers 403 here, so that the figures are never open to the network.
struct MetricsRoutes {
    /// The content type of the text format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let metrics: ServerMetrics
    let conductor: Conductor
    let configuration: ServerConfiguration

    /// Adds the route.
    func register(on table: RouteTable) {
        table.onExactly("/metrics", .get) { _, _ in try scrape() }
    }

    private func scrape() throws -> Response {
        guard !configuration.isExposedWithoutAuthentication else {
            throw IronicError(status: .forbidden, faultString: "GET /metrics is served without authentication on a loopback address only; "
                + "start the server with --htpasswd to read it from \(configuration.host).")
        }
        let lag: ConsumerLag
        do {
            lag = try conductor.lag()
        } catch {
            throw IronicError.internalError("The event log cannot be read: \(error)")
        }
        return Response(status: .ok, headers: [.contentType: Self.contentType],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition(lag: lag))))
    }
}
