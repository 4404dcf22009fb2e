import Domain
import EventStore
import Foundation

/// A recorded event as the Ironlog extensions show it: its envelope, its metadata, and its
/// payload as JSON (node events through the domain decoder; sealed secrets stay sealed).
public enum EventRepresentation {
    /// The event's payload as JSON: a node event decoded and re-encoded as JSON, any other JSON
    /// payload as it is, anything else base64 under `binary`.
    public static func payload(_ event: RecordedEvent) -> JSONValue {
        if let decoded = try? NodeEvent.decode(payload: event.payload), let json = try? decoded.jsonPayload(),
           let value = try? JSONParser.parse(json) {
            return value
        }
        if let value = try? JSONParser.parse(event.payload) { return value }
        return .object(["binary": .string(event.payload.base64EncodedString())])
    }

    /// The full document of `/v1/events` (and of `ironlog history --format jsonl`).
    public static func document(_ event: RecordedEvent) -> JSONValue {
        .object([
            "position": .number(Double(event.position)),
            "stream": .string(event.streamID),
            "stream_version": .number(Double(event.streamVersion)),
            "event_id": .string(event.eventID.uuidString.lowercased()),
            "type": .string(event.type),
            "recorded_at": .string(Timestamp.string(event.recordedAtMicroseconds)),
            "actor": event.metadata.actor.map { .string($0) } ?? .null,
            "project": event.metadata.project.map { .string($0) } ?? .null,
            "request_id": event.metadata.requestID.map { .string($0) } ?? .null,
            "correlation_id": event.metadata.correlationID.map { .string($0.uuidString.lowercased()) } ?? .null,
            "causation_id": event.metadata.causationID.map { .string($0.uuidString.lowercased()) } ?? .null,
            "payload": payload(event),
        ])
    }

    /// The error an event carries, if any.
    static func error(of event: RecordedEvent) -> String? {
        guard let decoded = try? NodeEvent.decode(payload: event.payload) else { return nil }
        switch decoded {
        case .powerActionFailed(_, let error): return error
        case .stepFinished(_, _, let error?): return error
        case .lastErrorChanged(let error?): return error
        case .faultChanged(let fault?): return fault
        default: return nil
        }
    }

    /// Ironic's history `event_type` for an event type.
    static func eventType(_ type: String) -> String {
        switch type {
        case "PowerActionRequested", "PowerStateChanged", "PowerActionFailed": "power"
        case "ProvisionStateChanged", "StepStarted", "StepFinished": "provisioning"
        case "InspectionRecorded": "inspection"
        case "MaintenanceSet", "MaintenanceCleared", "FaultChanged": "maintenance"
        case "LastErrorChanged": "error"
        default: "update"
        }
    }

    /// The microversion that adds a history record's `project`.
    static let historyProjectMinor = 113
    /// The microversion that adds a history record's `state`, `target_provision_state` and
    /// `duration_seconds`.
    static let historyStateMinor = 115

    /// A record of `/v1/nodes/{node}/history`: Ironic's fields, plus the log's own. At `version`
    /// 1.113 and later it carries the caller's `project`; from 1.115 the node's provision `state`
    /// and `target_provision_state` after the event and, for a provision state change, the
    /// `duration_seconds` spent in the state left (from `standing`).
    static func historyRecord(_ event: RecordedEvent, baseURL: String, node: String, conductor: String, fullPayload: Bool,
                              version: MicroVersion, standing: HistoryStateTrail.Entry?) -> JSONValue {
        let error = error(of: event)
        let id = event.eventID.uuidString.lowercased()
        var members: [String: JSONValue] = [
            "uuid": .string(id),
            "event_id": .string(id),
            "position": .number(Double(event.position)),
            "stream_version": .number(Double(event.streamVersion)),
            "type": .string(event.type),
            "created_at": .string(Timestamp.string(event.recordedAtMicroseconds)),
            "event": .string(error ?? event.type),
            "severity": .string(error == nil ? "INFO" : "ERROR"),
            "event_type": .string(eventType(event.type)),
            "user": event.metadata.actor.map { .string($0) } ?? .null,
            "conductor": .string(conductor),
            "request_id": event.metadata.requestID.map { .string($0) } ?? .null,
            "causation_id": event.metadata.causationID.map { .string($0.uuidString.lowercased()) } ?? .null,
            "links": ResourceLinks.pair(baseURL: baseURL, path: "nodes/\(node)/history/\(id)"),
        ]
        if fullPayload { members["payload"] = payload(event) }
        if version.allows(historyProjectMinor) {
            members["project"] = event.metadata.project.map { .string($0) } ?? .null
        }
        if version.allows(historyStateMinor) {
            members["state"] = standing.map { .string($0.state.rawValue) } ?? .null
            members["target_provision_state"] = standing?.target.map { .string($0.rawValue) } ?? .null
            members["duration_seconds"] = standing?.durationSeconds.map { .number($0) } ?? .null
        }
        return .object(members)
    }
}
