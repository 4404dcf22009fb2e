import Foundation

/// Who caused an event and why: the audit trail that travels with every envelope.
///
/// `actor`, `project` and `requestID` come from the API request that caused the event;
/// `correlationID` ties together every event of one operation (a deploy and all its steps);
/// `causationID` names the event that directly triggered this one (a reactor's outcome points at
/// the command event it reacted to), so a chain can be followed back to the request.
public struct EventMetadata: Sendable, Hashable, Codable {
    /// The user or service that asked for the change (`admin`, `reactor:power`, ...).
    public var actor: String?
    /// The project (tenant) the actor acted for.
    public var project: String?
    /// The `Openstack-Request-Id` of the API request, when there was one.
    public var requestID: String?
    /// The operation this event belongs to.
    public var correlationID: UUID?
    /// The event that directly caused this one.
    public var causationID: UUID?

    /// Creates metadata; every field is optional.
    public init(actor: String? = nil, project: String? = nil, requestID: String? = nil, correlationID: UUID? = nil, causationID: UUID? = nil) {
        self.actor = actor
        self.project = project
        self.requestID = requestID
        self.correlationID = correlationID
        self.causationID = causationID
    }
}
