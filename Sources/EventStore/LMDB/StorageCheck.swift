import CLMDB

/// Throws ``EventStoreError/storage(operation:code:message:)`` unless `code` is `MDB_SUCCESS`.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(EventStoreError) {
    if code != MDB_SUCCESS {
        throw .storage(operation: operation(), code: code, message: String(cString: mdb_strerror(code)))
    }
}

extension EventStoreError {
    /// The LMDB error code behind a storage error.
    var lmdbCode: Int32? {
        if case .storage(_, let code, _) = self { return code }
        return nil
    }

    /// The map is full: the writer grows it and retries the whole batch.
    var isMapFull: Bool { lmdbCode == MDB_MAP_FULL }

    /// Another process grew the map: adopt the new size and retry.
    var isMapResized: Bool { lmdbCode == MDB_MAP_RESIZED }
}
