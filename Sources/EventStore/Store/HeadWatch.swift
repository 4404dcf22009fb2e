import Synchronization

/// The durable head of the log as seen by waiters: suspends tasks until it reaches a position.
///
/// The writer publishes a head only once the commit that made it is durable, so subscribers never
/// act on an event that a crash could still take back.
final class HeadWatch: Sendable {
    private struct Waiter {
        let id: UInt64
        let position: UInt64
        let continuation: CheckedContinuation<UInt64?, any Error>
    }

    private struct State {
        var head: LogHead
        var closed = false
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>

    init(head: LogHead) { state = Mutex(State(head: head)) }

    var head: LogHead { state.withLock { $0.head } }

    /// Publishes a new durable head and wakes every waiter it satisfies.
    func advance(to head: LogHead) {
        let (ready, current) = state.withLock { state -> ([Waiter], UInt64) in
            if head.position > state.head.position { state.head = head }
            let current = state.head.position
            let ready = state.waiters.filter { $0.position <= current }
            state.waiters.removeAll { $0.position <= current }
            return (ready, current)
        }
        for waiter in ready { waiter.continuation.resume(returning: current) }
    }

    /// Ends every wait with `nil`; later waits return `nil` at once.
    func close() {
        let waiters = state.withLock { state -> [Waiter] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
    }

    /// Returns the durable head position once it is ≥ `position`, `nil` if the log closed first.
    func wait(atLeast position: UInt64) async throws -> UInt64? {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<UInt64?, any Error>? = state.withLock { state in
                    if state.head.position >= position { return .success(state.head.position) }
                    if state.closed { return .success(nil) }
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
