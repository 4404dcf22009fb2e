import CLMDB

/// Appends entries in key order to one database through a single cursor (`MDB_APPEND`): the
/// fastest way to load a database, as a projection rebuild does.
///
/// Every key must sort after the last key of the database; LMDB refuses one that does not
/// (`MDB_KEYEXIST`). Valid only inside the write transaction that made it.
public struct BulkAppender: ~Copyable {
    private let cursor: OpaquePointer
    private let database: Database

    init(txn: OpaquePointer, database: Database) throws(EventStoreError) {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, database.dbi, &cursor), "mdb_cursor_open(\(database.name))")
        self.cursor = cursor!
        self.database = database
    }

    deinit { mdb_cursor_close(cursor) }

    /// Appends `value` under `key`.
    public func append(_ value: UnsafeRawBufferPointer, forKey key: UnsafeRawBufferPointer) throws(EventStoreError) {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_cursor_put(cursor, &keyVal, &dataVal, UInt32(MDB_APPEND)), "mdb_cursor_put(\(database.name), MDB_APPEND)")
    }

    /// Appends `value` under `key`.
    public func append(_ value: [UInt8], forKey key: [UInt8]) throws {
        try value.withUnsafeBytes { value in
            try key.withUnsafeBytes { key in try append(value, forKey: key) }
        }
    }
}

extension WriteTransaction {
    /// A cursor that appends to `database` in key order; see ``BulkAppender``.
    public func appender(for database: Database) throws(EventStoreError) -> BulkAppender {
        try BulkAppender(txn: txn, database: database)
    }
}
