import Synchronization

/// The log head as seen by waiters: suspends tasks until the head reaches a position.
final class HeadWatch: Sendable {
    private struct Waiter {
        let id: UInt64
        let position: UInt64
        let continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State {
        var head: UInt64
        var closed = false
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>

    init(head: UInt64) { state = Mutex(State(head: head)) }

    var head: UInt64 { state.withLock { $0.head } }

    /// Publishes a new head and wakes every waiter it satisfies.
    func advance(to head: UInt64) {
        let ready = state.withLock { state -> [Waiter] in
            state.head = max(state.head, head)
            let current = state.head
            let ready = state.waiters.filter { $0.position <= current }
            state.waiters.removeAll { $0.position <= current }
            return ready
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// Ends every wait with `false`; later waits return `false` at once.
    func close() {
        let waiters = state.withLock { state -> [Waiter] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(returning: false) }
    }

    /// Returns `true` once the head is ≥ `position`, `false` if the log closed first.
    func wait(atLeast position: UInt64) async throws -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<Bool, any Error>? = state.withLock { state in
                    if state.head >= position { return .success(true) }
                    if state.closed { return .success(false) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters.append(Waiter(id: id, position: position, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}
