import CLMDB

/// A named LMDB sub-database inside the store's environment.
///
/// Handles are cheap values; they stay valid for the life of the ``LMDBEventStore`` that opened them.
/// Projections and checkpoints get their own sub-databases through
/// ``LMDBEventStore/openDatabase(named:)``.
public struct Database: Sendable, Hashable {
    /// The name the database was opened with.
    public let name: String
    let dbi: MDB_dbi
}
