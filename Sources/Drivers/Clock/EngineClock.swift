import Foundation
import Synchronization

/// The time the engine runs on: callback timeouts, power-state sync and fake delays read and wait
/// on it. Production uses ``SystemClock``; tests use ``ManualClock`` and move time themselves
/// instead of sleeping.
public protocol EngineClock: Sendable {
    /// Now, in µs since 1970.
    var nowMicroseconds: Int64 { get }
    /// Returns once `duration` has passed on this clock (or throws if the task is cancelled).
    func sleep(for duration: Duration) async throws
}

/// Wall-clock time and real sleeps.
public struct SystemClock: EngineClock {
    public init() {}

    public var nowMicroseconds: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// A clock that moves only when told to: sleepers wake when ``advance(by:)`` passes their
/// deadline, so tests of timeouts and periodic work run instantly and deterministically.
public final class ManualClock: EngineClock {
    private struct Sleeper {
        let deadline: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int64
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    /// A clock that starts at `start` µs since 1970.
    public init(start: Int64 = 1_800_000_000_000_000) { state = Mutex(State(now: start)) }

    public var nowMicroseconds: Int64 { state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock (tests wait for work to settle on it).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    let deadline = state.now + duration.microseconds
                    if deadline <= state.now { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward, waking every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration.microseconds
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

extension Duration {
    /// The duration in whole microseconds.
    public var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
