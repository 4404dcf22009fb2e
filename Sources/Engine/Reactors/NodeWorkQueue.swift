import Foundation
import Synchronization

/// Runs the engine's work one node at a time: a node asked for again while its work runs is run
/// once more afterwards, never twice at once. Different nodes run concurrently.
///
/// Work runs with ``RequestScope/requestID`` bound to the request that last asked for the node, so
/// the engine's log lines about it name that request. Once ``stopAccepting()`` is called, new
/// requests for work are ignored (a restart resumes them from the log).
final class NodeWorkQueue: Sendable {
    private struct State {
        /// Nodes being worked on, and whether each was asked for again meanwhile.
        var running: [UUID: Bool] = [:]
        /// The API request that last asked for each node's work.
        var requestIDs: [UUID: String] = [:]
        var accepting = true
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let work: @Sendable (UUID) async -> Void

    init(work: @escaping @Sendable (UUID) async -> Void) { self.work = work }

    /// Asks for the node's work to run, on behalf of API request `requestID` if one caused it.
    func poke(_ node: UUID, requestID: String? = nil) {
        let start = state.withLock { state -> Bool in
            guard state.accepting else { return false }
            if let requestID { state.requestIDs[node] = requestID }
            if state.running[node] != nil {
                state.running[node] = true
                return false
            }
            state.running[node] = false
            return true
        }
        guard start else { return }
        Task {
            while true {
                let requestID = state.withLock { $0.requestIDs[node] }
                await RequestScope.$requestID.withValue(requestID) { await work(node) }
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
                    if state.running[node] == true && state.accepting {
                        state.running[node] = false
                        return nil
                    }
                    state.running.removeValue(forKey: node)
                    state.requestIDs.removeValue(forKey: node)
                    guard state.running.isEmpty else { return [] }
                    defer { state.idleWaiters.removeAll() }
                    return state.idleWaiters
                }
                guard let waiters else { continue }
                for waiter in waiters { waiter.resume() }
                return
            }
        }
    }

    /// Ignores every later ``poke(_:requestID:)``, and runs no node again after its current work.
    func stopAccepting() {
        state.withLock { $0.accepting = false }
    }

    /// Whether no node's work is running.
    var isIdle: Bool { state.withLock { $0.running.isEmpty } }

    /// Returns once no node's work is running.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if state.running.isEmpty { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
