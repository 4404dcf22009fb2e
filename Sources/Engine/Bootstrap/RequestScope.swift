import Logging

/// The API request on whose behalf the current task works, so that the engine's log lines name it.
///
/// The server binds ``requestID`` around each request; the work queue binds it again around the
/// work a request's event started, from the event's recorded request id. ``metadataProvider``
/// adds it to every log line as `request_id`:
///
/// ```swift
/// LoggingSystem.bootstrap({ label, provider in
///     StreamLogHandler.standardError(label: label, metadataProvider: provider)
/// }, metadataProvider: RequestScope.metadataProvider)
/// ```
public enum RequestScope {
    /// The `Openstack-Request-Id` of the request being served or worked for, if any.
    @TaskLocal public static var requestID: String?

    /// Adds `request_id` to log lines written while a request id is bound.
    public static let metadataProvider = Logger.MetadataProvider {
        guard let requestID else { return [:] }
        return ["request_id": .string(requestID)]
    }
}
