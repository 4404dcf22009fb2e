import EventStore
import Foundation
import Hummingbird

/// The per-request context every Ironlog route receives.
///
/// Beyond Hummingbird's core storage it carries the request's OpenStack request id (set by
/// ``RequestIDMiddleware``), the negotiated microversion (set by ``APIVersionMiddleware``) and
/// the caller, and encodes responses as JSON with sorted keys and unescaped slashes.
public struct IronlogRequestContext: RequestContext {
    /// The largest request body accepted; a larger one is refused with 413.
    public static let maximumBodySize = 1024 * 1024

    /// Hummingbird's core per-request storage (logger, parameters, endpoint path).
    public var coreContext: CoreRequestContextStorage
    /// The request's `req-<uuid>` id, returned in the `Openstack-Request-Id` header; empty until
    /// ``RequestIDMiddleware`` has run.
    public var requestID: String
    /// The microversion negotiated for the request; the minimum until ``APIVersionMiddleware``
    /// has run.
    public var apiVersion: MicroVersion
    /// The range the request was negotiated in.
    public var versionRange: VersionRange
    /// Who makes the request.
    public var caller: Caller

    /// Creates the context for a request arriving on a channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.apiVersion = APIVersion.served.minimum
        self.versionRange = APIVersion.served
        self.caller = Caller()
    }

    /// The metadata every event this request causes carries: actor, project and request id.
    public var eventMetadata: EventMetadata {
        EventMetadata(actor: caller.actor, project: caller.project, requestID: requestID.isEmpty ? nil : requestID)
    }

    /// The largest body a route collects (see ``maximumBodySize``).
    public var maxUploadSize: Int { Self.maximumBodySize }

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
