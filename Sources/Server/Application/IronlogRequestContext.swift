import Foundation
import Hummingbird

/// The per-request context every Ironlog route receives.
///
/// Beyond Hummingbird's core storage it carries the request's OpenStack request id (set by
/// ``RequestIDMiddleware``) and encodes responses as JSON with sorted keys and unescaped slashes.
public struct IronlogRequestContext: RequestContext {
    /// Hummingbird's core per-request storage (logger, parameters, endpoint path).
    public var coreContext: CoreRequestContextStorage
    /// The request's `req-<uuid>` id, returned in the `Openstack-Request-Id` header; empty until
    /// ``RequestIDMiddleware`` has run.
    public var requestID: String

    /// Creates the context for a request arriving on a channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
    }

    /// JSON with keys sorted (stable output) and `/` left unescaped so links read as Ironic's do.
    public var responseEncoder: JSONEncoder {
        Self.encoder
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
