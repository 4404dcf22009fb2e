import Hummingbird

/// Counts and times every request for ``ServerMetrics``, labelled by method, route pattern and
/// status. Outermost, so refused, unauthenticated and preflight requests count too.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, since: started)
            return response
        } catch {
            record(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        metrics.recordRequest(method: request.method.rawValue, route: Self.route(context.endpointPath), status: status,
                              duration: ContinuousClock.now - started)
    }

    /// The matched route's pattern; every path no route matched shares one label.
    static func route(_ endpointPath: String?) -> String {
        guard let endpointPath, endpointPath != "NotFound" else { return "unmatched" }
        return endpointPath
    }
}
