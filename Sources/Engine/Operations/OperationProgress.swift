import Domain
import EventStore
import Foundation
import Projections

/// How far the operation a node is in has got, read back from its stream: the event that started
/// it, the steps already finished, and a step left started — by a crash, or handed to an agent
/// that has since called back.
///
/// This is what makes an operation resumable: the log, not memory, says what was done.
struct OperationProgress {
    /// The provision change that started the operation (not a `resume` from a wait state).
    let start: RecordedEvent
    /// Its decoded change.
    let change: ProvisionStateChange
    /// Steps finished since the start, as `interface.step`.
    let finished: Set<String>
    /// A step started and not finished, if any.
    let unfinished: JSONValue?
    /// Whether the node waited for an agent and was resumed after the unfinished step began:
    /// the agent did that step.
    let resumedByAgent: Bool
    /// Whether the node was resumed from a wait state since the start.
    let resumed: Bool

    /// `interface.step` of a step's JSON.
    static func key(_ step: JSONValue) -> String {
        guard case .string(let interface)? = step["interface"], case .string(let name)? = step["step"] else { return "?" }
        return "\(interface).\(name)"
    }

    /// Reads the progress of the operation `node` is in (in state `state`), walking its stream
    /// back to the start of the operation.
    static func read(_ node: UUID, state: ProvisionState, in store: LMDBEventStore) throws -> OperationProgress? {
        let stream = NodeStream.id(node)
        var version = try store.version(ofStream: stream)
        var newestFirst: [(RecordedEvent, NodeEvent)] = []
        while version > 0 {
            let page = try store.events(ofStream: stream, from: version, direction: .backward, limit: 64)
            guard let oldest = page.last else { break }
            for recorded in page {
                guard let event = try? NodeEvent.decode(payload: recorded.payload) else { continue }
                if case .provisionStateChanged(let change) = event, change.to == state, change.event != .resume {
                    return progress(start: recorded, change: change, after: newestFirst.reversed())
                }
                newestFirst.append((recorded, event))
            }
            version = oldest.streamVersion - 1
        }
        return nil
    }

    private static func progress(start: RecordedEvent, change: ProvisionStateChange, after events: [(RecordedEvent, NodeEvent)]) -> OperationProgress {
        var finished: Set<String> = [], unfinished: JSONValue?, resumed = false, anyResume = false
        for (_, event) in events {
            switch event {
            case .stepStarted(_, let step):
                unfinished = step
                resumed = false
            case .stepFinished(_, let step, _):
                finished.insert(key(step))
                unfinished = nil
            case .provisionStateChanged(let change) where change.event == .resume:
                resumed = unfinished != nil
                anyResume = true
            default: break
            }
        }
        return OperationProgress(start: start, change: change, finished: finished, unfinished: unfinished, resumedByAgent: resumed, resumed: anyResume)
    }

    /// The last power action requested of `node`, with its event and timeout.
    static func lastPowerRequest(_ node: UUID, in store: LMDBEventStore) throws -> (event: RecordedEvent, target: PowerTarget, timeout: Int?)? {
        let stream = NodeStream.id(node)
        var version = try store.version(ofStream: stream)
        while version > 0 {
            let page = try store.events(ofStream: stream, from: version, direction: .backward, limit: 64)
            guard let oldest = page.last else { break }
            for recorded in page {
                if case .powerActionRequested(let target, let timeout)? = try? NodeEvent.decode(payload: recorded.payload) {
                    return (recorded, target, timeout)
                }
            }
            version = oldest.streamVersion - 1
        }
        return nil
    }
}
