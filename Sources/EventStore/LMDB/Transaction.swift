import CLMDB

/// A read-only view of the store, valid only inside the closure that received it.
///
/// Reads never block the writer (LMDB's MVCC): a reader sees the state as of the moment its
/// transaction began. Never keep one across an `await`: read a batch, return, then do I/O.
public struct ReadTransaction {
    let txn: OpaquePointer

    init(_ txn: OpaquePointer) { self.txn = txn }

    /// The value stored under `key`, copied out, or `nil` if there is none.
    public func value(forKey key: [UInt8], in database: Database) throws -> [UInt8]? {
        try withValue(forKey: key, in: database) { $0.map { Array($0) } }
    }

    /// Calls `body` with the bytes stored under `key` (or `nil`) without copying them.
    ///
    /// The buffer points into the memory map and is valid only during `body`.
    public func withValue<T>(
        forKey key: [UInt8], in database: Database, _ body: (UnsafeRawBufferPointer?) throws -> T
    ) throws -> T {
        var data = MDB_val()
        let code = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_get(txn, database.dbi, &keyVal, &data)
        }
        if code == MDB_NOTFOUND { return try body(nil) }
        try check(code, "mdb_get(\(database.name))")
        return try body(UnsafeRawBufferPointer(start: data.mv_data, count: data.mv_size))
    }

    /// Walks `database` in key order from the first key ≥ `start` (or from the first key), calling
    /// `body` with each key and value until it returns `false`.
    ///
    /// Buffers point into the memory map and are valid only during the call.
    public func forEach(
        in database: Database,
        from start: [UInt8]? = nil,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let cursor = try Cursor(txn: txn, database: database)
        defer { cursor.close() }
        var entry = try start.map { try cursor.seek(atLeast: $0) } ?? cursor.first()
        while let (key, value) = entry {
            guard try body(key, value) else { return }
            entry = try cursor.next()
        }
    }

    /// Walks `database` backwards from the last key ≤ `start` (or from the last key).
    public func forEachReversed(
        in database: Database,
        from start: [UInt8]? = nil,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let cursor = try Cursor(txn: txn, database: database)
        defer { cursor.close() }
        var entry = try start.map { try cursor.seek(atMost: $0) } ?? cursor.last()
        while let (key, value) = entry {
            guard try body(key, value) else { return }
            entry = try cursor.previous()
        }
    }

    /// The number of entries in `database`.
    public func count(of database: Database) throws(EventStoreError) -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(txn, database.dbi, &stat), "mdb_stat(\(database.name))")
        return stat.ms_entries
    }
}

/// A read-write view of the store, valid only inside the closure that received it.
///
/// Only the store's writer thread ever holds one. Everything written through it commits or
/// aborts together with the transaction.
public struct WriteTransaction {
    let txn: OpaquePointer

    init(_ txn: OpaquePointer) { self.txn = txn }

    /// The same transaction seen as a reader: it sees its own uncommitted writes.
    public var reader: ReadTransaction { ReadTransaction(txn) }

    /// Stores `value` under `key`, replacing what was there.
    public func put(_ value: [UInt8], forKey key: [UInt8], in database: Database) throws(EventStoreError) {
        try put(value, forKey: key, in: database, flags: 0)
    }

    /// Removes `key`; returns whether it was present.
    @discardableResult
    public func delete(_ key: [UInt8], in database: Database) throws(EventStoreError) -> Bool {
        let code = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(txn, database.dbi, &keyVal, nil)
        }
        if code == MDB_NOTFOUND { return false }
        try check(code, "mdb_del(\(database.name))")
        return true
    }

    /// Removes every entry of `database`, keeping the database itself.
    public func clear(_ database: Database) throws(EventStoreError) {
        try check(mdb_drop(txn, database.dbi, 0), "mdb_drop(\(database.name))")
    }

    func put(_ value: [UInt8], forKey key: [UInt8], in database: Database, flags: UInt32) throws(EventStoreError) {
        let code = value.withUnsafeBytes { valueBytes in
            key.withUnsafeBytes { keyBytes in
                var keyVal = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var dataVal = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return mdb_put(txn, database.dbi, &keyVal, &dataVal, flags)
            }
        }
        try check(code, "mdb_put(\(database.name))")
    }

    /// Stores raw bytes under a raw key: the writer's allocation-free path.
    @inline(__always)
    func put(_ value: UnsafeRawBufferPointer, forKey key: UnsafeRawBufferPointer, in database: Database, flags: UInt32) throws(EventStoreError) {
        var keyVal = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var dataVal = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        try check(mdb_put(txn, database.dbi, &keyVal, &dataVal, flags), "mdb_put(\(database.name))")
    }

    /// Stores `value` under `key`, which must sort after every key already in `database`:
    /// LMDB then fills pages completely and skips the search (`MDB_APPEND`). For bulk loads
    /// written in key order, such as a projection rebuild.
    public func append(_ value: [UInt8], forKey key: [UInt8], in database: Database) throws(EventStoreError) {
        try put(value, forKey: key, in: database, flags: UInt32(MDB_APPEND))
    }
}
