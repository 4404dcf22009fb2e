import CLMDB

/// A thin owner of an `MDB_cursor`, closed explicitly by whoever opened it.
struct Cursor {
    typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    private let cursor: OpaquePointer

    init(txn: OpaquePointer, database: Database) throws(EventStoreError) {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, database.dbi, &cursor), "mdb_cursor_open(\(database.name))")
        self.cursor = cursor!
    }

    func close() { mdb_cursor_close(cursor) }

    func first() throws(EventStoreError) -> Entry? { try move(MDB_FIRST) }
    func last() throws(EventStoreError) -> Entry? { try move(MDB_LAST) }
    func next() throws(EventStoreError) -> Entry? { try move(MDB_NEXT) }
    func previous() throws(EventStoreError) -> Entry? { try move(MDB_PREV) }

    /// The first entry whose key is ≥ `key`.
    func seek(atLeast key: [UInt8]) throws(EventStoreError) -> Entry? {
        var keyVal = MDB_val()
        var dataVal = MDB_val()
        let code = key.withUnsafeBytes { bytes in
            keyVal = MDB_val(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            return mdb_cursor_get(cursor, &keyVal, &dataVal, MDB_SET_RANGE)
        }
        return try entry(code, keyVal, dataVal, "MDB_SET_RANGE")
    }

    /// The last entry whose key is ≤ `key`.
    func seek(atMost key: [UInt8]) throws(EventStoreError) -> Entry? {
        guard let found = try seek(atLeast: key) else { return try last() }
        if found.key.elementsEqual(key) { return found }
        return try previous()
    }

    private func move(_ op: MDB_cursor_op) throws(EventStoreError) -> Entry? {
        var keyVal = MDB_val()
        var dataVal = MDB_val()
        let code = mdb_cursor_get(cursor, &keyVal, &dataVal, op)
        return try entry(code, keyVal, dataVal, "mdb_cursor_get")
    }

    private func entry(_ code: Int32, _ key: MDB_val, _ data: MDB_val, _ operation: String) throws(EventStoreError) -> Entry? {
        if code == MDB_NOTFOUND { return nil }
        try check(code, operation)
        return (
            UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size),
            UnsafeRawBufferPointer(start: data.mv_data, count: data.mv_size)
        )
    }
}
