import CLMDB
import Foundation

/// LMDB opened directly on a data directory that no ironlog has open, past the store: how the
/// corruption tests find an envelope's bytes in `data.mdb` and damage the environment.
enum RawLMDB {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Where an envelope lies in `data.mdb`: its log position, the file offset of its first byte,
    /// and its length.
    struct Location {
        let position: UInt64
        let fileOffset: UInt64
        let length: Int
    }

    /// The envelope at `position`.
    static func envelope(at position: UInt64, in directory: String) throws -> Location? {
        try envelopes(in: directory) { location, _ in location.position == position ? location : nil }
    }

    /// The first envelope holding `marker`, with the file offset of the marker in place of its start.
    static func envelope(containing marker: [UInt8], in directory: String) throws -> Location? {
        try envelopes(in: directory) { location, bytes in
            guard let index = firstIndex(of: marker, in: bytes) else { return nil }
            return Location(position: location.position, fileOffset: location.fileOffset + UInt64(index), length: location.length)
        }
    }

    /// Deletes the named database `name` and its contents, as a damaged or hand-edited file would lack it.
    static func dropDatabase(named name: String, in directory: String) throws {
        try withTransaction(directory, readOnly: false) { _, txn in
            var dbi: MDB_dbi = 0
            try check(mdb_dbi_open(txn, name, 0, &dbi), "mdb_dbi_open(\(name))")
            try check(mdb_drop(txn, dbi, 1), "mdb_drop(\(name))")
        }
    }

    /// Walks the log in key order and returns the first non-nil answer of `body`.
    ///
    /// A value points into the memory map at the live copy of its page; the page's header begins
    /// with its page number, which gives the offset in the file (the map is the file, page for page).
    private static func envelopes(in directory: String, _ body: (Location, UnsafeRawBufferPointer) -> Location?) throws -> Location? {
        try withTransaction(directory, readOnly: true) { env, txn in
            var stat = MDB_stat()
            mdb_env_stat(env, &stat)
            let pageSize = UInt(stat.ms_psize)
            var dbi: MDB_dbi = 0
            try check(mdb_dbi_open(txn, "log", 0, &dbi), "mdb_dbi_open(log)")
            var cursor: OpaquePointer?
            try check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open")
            defer { mdb_cursor_close(cursor) }
            var key = MDB_val(), value = MDB_val()
            var operation = MDB_FIRST
            while mdb_cursor_get(cursor, &key, &value, operation) == MDB_SUCCESS {
                operation = MDB_NEXT
                let address = UInt(bitPattern: value.mv_data)
                let page = address & ~(pageSize - 1)
                let pageNumber = UnsafeRawPointer(bitPattern: page)!.loadUnaligned(as: UInt64.self)
                let location = Location(position: UInt64(bigEndian: key.mv_data.loadUnaligned(as: UInt64.self)),
                                        fileOffset: pageNumber * UInt64(pageSize) + UInt64(address - page), length: value.mv_size)
                if let found = body(location, UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)) { return found }
            }
            return nil
        }
    }

    private static func withTransaction<T>(_ directory: String, readOnly: Bool, _ body: (OpaquePointer, OpaquePointer) throws -> T) throws -> T {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        defer { mdb_env_close(env) }
        try check(mdb_env_set_maxdbs(env, 128), "mdb_env_set_maxdbs")
        try check(mdb_env_open(env, directory, readOnly ? UInt32(MDB_RDONLY) : 0, 0o640), "mdb_env_open")
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn), "mdb_txn_begin")
        let result: T
        do { result = try body(env!, txn!) } catch {
            mdb_txn_abort(txn)
            throw error
        }
        // A failed commit frees the transaction itself.
        if readOnly { mdb_txn_abort(txn) } else { try check(mdb_txn_commit(txn), "mdb_txn_commit") }
        return result
    }

    private static func check(_ code: Int32, _ operation: String) throws {
        guard code == MDB_SUCCESS else { throw Failure(description: "\(operation): \(String(cString: mdb_strerror(code)))") }
    }

    private static func firstIndex(of marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard !marker.isEmpty, bytes.count >= marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            if (1..<marker.count).allSatisfy({ bytes[start + $0] == marker[$0] }) { return start }
        }
        return nil
    }
}
