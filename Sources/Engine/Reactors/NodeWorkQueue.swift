import Foundation
import Synchronization

/// Runs the engine's work one node at a time: a node asked for again while its work runs is run
/// once more afterwards, never twice at once. Different nodes run concurrently.
final class NodeWorkQueue: Sendable {
    private struct State {
        /// Nodes being worked on, and whether each was asked for again meanwhile.
        var running: [UUID: Bool] = [:]
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let work: @Sendable (UUID) async -> Void

    init(work: @escaping @Sendable (UUID) async -> Void) { self.work = work }

    /// Asks for the node's work to run.
    func poke(_ node: UUID) {
        let start = state.withLock { state -> Bool in
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
                await work(node)
                let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
                    if state.running[node] == true {
                        state.running[node] = false
                        return nil
                    }
                    state.running.removeValue(forKey: node)
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
