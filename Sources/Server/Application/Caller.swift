import Foundation
import EventStore
import Hummingbird

/// Who makes a request, as recorded in the metadata of every event it causes.
///
/// Ironlog has no authentication, like Ironic with `auth_strategy = noauth`. Ironic then builds
/// its request context from the `X-User-Id` and `X-Project-Id` headers (oslo.context's
/// `from_environ`) without checking them, and records no user when there are none. Ironlog does
/// the same, except that a request without `X-User-Id` is recorded as actor ``anonymous`` rather
/// than as nobody, so the log still says the change came through the API.
public struct Caller: Sendable, Hashable {
    /// The actor recorded for a request that names no user.
    public static let anonymous = "anonymous"
    /// The request header naming the user.
    public static let userHeader = HTTPFields.Element.Name("X-User-Id")!
    /// The request header naming the project.
    public static let projectHeader = HTTPFields.Element.Name("X-Project-Id")!

    /// The user id, or ``anonymous``.
    public var actor: String
    /// The project id, if the request named one.
    public var project: String?

    /// A caller with these ids.
    public init(actor: String = Caller.anonymous, project: String? = nil) {
        self.actor = actor
        self.project = project
    }

    /// The caller `headers` name (trimmed; empty values count as absent).
    public init(headers: HTTPFields) {
        func value(_ name: HTTPFields.Element.Name) -> String? {
            guard let text = headers[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return String(text.prefix(255))
        }
        self.init(actor: value(Self.userHeader) ?? Self.anonymous, project: value(Self.projectHeader))
    }
}
