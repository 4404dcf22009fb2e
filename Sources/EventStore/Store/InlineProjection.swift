import Synchronization

/// A read model kept in the same LMDB transaction as the events it folds.
///
/// Registered with ``LMDBEventStore/register(inline:)``, it sees every committed batch before any
/// append in it is acknowledged, so a caller that appended and then reads the model sees its own
/// write, and the model's checkpoint can never disagree with the log.
///
/// It is applied append by append, so an ``AppendCondition`` of a later append in the same commit
/// sees the rows this projection wrote for the earlier ones.
///
/// `apply` must be total for valid events: it should only throw when storage itself fails. A throw
/// aborts the whole commit (and the store then retries each append of the batch on its own, so
/// only the append whose events the projection refused fails).
public protocol InlineProjection: Sendable {
    /// Folds `events` (in log order) into the projection's own databases inside `transaction`.
    func apply(_ events: [RecordedEvent], in transaction: WriteTransaction) throws
}

/// The inline projections of one store, read by the writer at every commit.
final class InlineProjectionRegistry: Sendable {
    private let projections = Mutex<[any InlineProjection]>([])

    func add(_ projection: any InlineProjection) { projections.withLock { $0.append(projection) } }

    var all: [any InlineProjection] { projections.withLock { $0 } }

    /// Forgets every projection. Projections usually hold their store, so a closed store drops
    /// them to let both go.
    func removeAll() { projections.withLock { $0.removeAll() } }
}

/// A check the writer runs inside the transaction, just before staging the append it belongs to.
///
/// It sees everything committed and everything staged earlier in the same commit (including the
/// inline projections' rows), and nothing can slip in between the check and the write. That is
/// how rules spanning streams — a node name or a MAC address unique across the fleet — hold under
/// concurrency. Throwing refuses the append with that error; nothing of it is written.
public protocol AppendCondition: Sendable {
    /// Throws to refuse the append.
    func check(_ transaction: ReadTransaction) throws
}
