import Domain
import EventStore
import Foundation

/// Where a node stood after each event of its history: the provision state and its target, and,
/// for an event that moved the provision state, how long the node spent in the state it left —
/// the `state`, `target_provision_state` and `duration_seconds` of a history record (API 1.115).
///
/// Pure: one walk over the node's stream, in order, reading only the events that set the
/// provision state (`Enrolled`, `ProvisionStateChanged`).
struct HistoryStateTrail {
    /// The node's standing after one event.
    struct Entry: Equatable {
        /// `provision_state` after the event.
        var state: ProvisionState
        /// `target_provision_state` after the event.
        var target: ProvisionState?
        /// For a provision state change, the seconds since the previous one (or the enrolment);
        /// `nil` for every other event.
        var durationSeconds: Double?
    }

    /// The entry of each event, by event id.
    private(set) var entries: [UUID: Entry] = [:]

    /// The trail of `events`, a node's stream in order.
    init(_ events: [RecordedEvent]) {
        var state = ProvisionState.enroll
        var target: ProvisionState?
        var since: Int64?
        for event in events {
            var duration: Double?
            switch try? NodeEvent.decode(payload: event.payload) {
            case .enrolled(let node)?:
                state = node.provisionState
                target = node.targetProvisionState
                since = event.recordedAtMicroseconds
            case .provisionStateChanged(let change)?:
                if let since { duration = Double(event.recordedAtMicroseconds - since) / 1_000_000 }
                state = change.to
                target = change.target
                since = event.recordedAtMicroseconds
            default:
                break
            }
            entries[event.eventID] = Entry(state: state, target: target, durationSeconds: duration)
        }
    }

    /// The entry of the event `id`, if it is in the trail.
    subscript(id: UUID) -> Entry? { entries[id] }
}
