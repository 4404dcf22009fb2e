import Foundation
import Hummingbird
import Logging

/// Logs every request once it is answered, at info: method, path, status and duration in
/// milliseconds, with the request id the logger already carries (``RequestIDMiddleware`` sits
/// above this one).
struct RequestLogMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: IronlogRequestContext,
        next: (Request, IronlogRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: started)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func log(_ request: Request, _ context: IronlogRequestContext, status: Int, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("\(request.method.rawValue) \(request.uri.path) \(status)", metadata: [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.3f", milliseconds)),
        ])
    }
}
