import Domain
import EventStore
import Foundation

/// Appends decided against the versions of the streams they read: when another writer moved one
/// of those streams first, the append is refused (`wrongExpectedVersion`) and the decision is made
/// again on what is there now — up to ``attempts`` times, after which the caller is told to retry.
///
/// How the records with streams of their own (chassis, deploy templates, allocations) change.
struct OptimisticAppend: Sendable {
    let store: LMDBEventStore
    /// How many times a decision that lost a race is made again.
    var attempts = 8

    /// What one decision asks for.
    enum Decision<Result> {
        /// Nothing to append: the answer is this.
        case unchanged(Result)
        /// Append these, each stream at the version it was decided on, checked by `condition`
        /// inside the commit; once they land, the answer is what `then` returns.
        case append([StreamAppend], condition: (any AppendCondition)? = nil, then: () throws -> Result)
    }

    /// Makes the decision and appends what it asks until an append lands. Throws what the
    /// decision throws, or an invalid-state error saying `busy` when every attempt lost a race.
    func run<Result>(busy: @autoclosure () -> String, _ decide: () throws -> Decision<Result>) async throws -> Result {
        for _ in 1...attempts {
            switch try decide() {
            case .unchanged(let result):
                return result
            case .append(let appends, let condition, let then):
                do {
                    _ = try await store.append(appends, condition: condition)
                    return try then()
                } catch EventStoreError.wrongExpectedVersion {
                    continue
                }
            }
        }
        throw DomainError.invalidState(busy())
    }

    /// Appends a new record's first events to its stream. The stream may hold a deleted record of
    /// the same UUID (a UUID may be used again; its history goes on in one place). Losing the race
    /// means another request created the record first: `taken` is thrown.
    func create(stream: String, events: [ProposedEvent], condition: (any AppendCondition)? = nil, taken: @autoclosure () -> Error) async throws {
        let version = try store.version(ofStream: stream)
        let append = StreamAppend(streamID: stream, expectedVersion: version == 0 ? .noStream : .exact(version), events: events)
        do {
            _ = try await store.append([append], condition: condition)
        } catch EventStoreError.wrongExpectedVersion {
            throw taken()
        }
    }
}
