import CLMDB
import Foundation

/// How an environment's commits reach the disk.
enum SyncMode {
    /// LMDB's default: every commit fsyncs its data pages, then its meta page.
    case everyCommit
    /// Every commit fsyncs its data pages; its meta page reaches the disk with the next fsync.
    /// A commit is durable once a later commit (or ``Environment/sync()``) has synced.
    case dataEveryCommitMetaLater
    /// No fsync at all: for tests and benchmarks.
    case never
}

/// The one owner of an LMDB environment for a data directory.
///
/// It opens the environment, clears reader slots left by dead processes, and runs every
/// transaction under a readers–writer lock so that the map can grow (which LMDB allows only while
/// no transaction of this process is open) without stopping the world for longer than the resize.
final class Environment: @unchecked Sendable {
    let path: String
    let readOnly: Bool
    private let env: OpaquePointer
    private let resizeLock = ReadWriteLock()
    private let mapSizeLock = NSLock()
    private var _mapSize: Int

    /// Opens (creating when allowed) the environment in `directory`.
    init(directory: String, mapSize: Int, maxDatabases: UInt32, maxReaders: UInt32, sync: SyncMode, readOnly: Bool) throws(EventStoreError) {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        self.env = env!
        self.path = directory
        self.readOnly = readOnly
        do {
            try check(mdb_env_set_maxdbs(self.env, maxDatabases), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(self.env, maxReaders), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(self.env, mapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS | MDB_NORDAHEAD)
            switch sync {
            case .everyCommit: break
            case .dataEveryCommitMetaLater: flags |= UInt32(MDB_NOMETASYNC)
            case .never: flags |= UInt32(MDB_NOSYNC)
            }
            if readOnly { flags |= UInt32(MDB_RDONLY) }
            try check(mdb_env_open(self.env, directory, flags, 0o640), "mdb_env_open(\(directory))")
            var dead: Int32 = 0
            try check(mdb_reader_check(self.env, &dead), "mdb_reader_check")
            Self.armFaultGuard(self.env, directory: directory)
            var info = MDB_envinfo()
            mdb_env_info(self.env, &info)
            _mapSize = info.me_mapsize
        } catch {
            mdb_env_close(self.env)
            throw error
        }
    }

    deinit {
        mdb_env_close(env)
        MapFaultGuard.disarm(directory: path)
    }

    /// Compares the data file's size with the end of the pages its meta page says are in use (a
    /// read of neither touches the map) and arms ``MapFaultGuard`` with both.
    private static func armFaultGuard(_ env: OpaquePointer, directory: String) {
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        var stat = MDB_stat()
        mdb_env_stat(env, &stat)
        let pagesEnd = (UInt64(info.me_last_pgno) + 1) * UInt64(stat.ms_psize)
        let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")
        let fileSize = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
        MapFaultGuard.arm(directory: directory, fileSize: fileSize, pagesEnd: pagesEnd)
    }

    /// The current size of the memory map in bytes.
    var mapSize: Int { mapSizeLock.withLock { _mapSize } }

    /// Forces every committed transaction to disk, meta page included.
    func sync() throws(EventStoreError) { try check(mdb_env_sync(env, 1), "mdb_env_sync") }

    /// Runs `body` inside a read-only transaction.
    ///
    /// With `keepingHandles`, the transaction is committed rather than aborted, which is what
    /// keeps database handles opened inside it valid afterwards (LMDB closes them on abort).
    func read<T>(keepingHandles: Bool = false, _ body: (ReadTransaction) throws -> T) throws -> T {
        while true {
            do {
                return try resizeLock.withShared { () throws -> T in
                    let txn = try begin(flags: UInt32(MDB_RDONLY))
                    let result: T
                    do {
                        result = try body(ReadTransaction(txn))
                    } catch {
                        mdb_txn_abort(txn)
                        throw error
                    }
                    if keepingHandles {
                        try check(mdb_txn_commit(txn), "mdb_txn_commit(read)")
                    } else {
                        mdb_txn_abort(txn)
                    }
                    return result
                }
            } catch let error as EventStoreError where error.isMapResized {
                try adoptForeignResize()
            }
        }
    }

    /// Runs `body` inside a write transaction and commits it. Writer thread only.
    ///
    /// When the map fills, the transaction is aborted, the map grows and `body` runs again from
    /// the start; `body` must therefore be safe to repeat (it is, since nothing it did was kept).
    func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        while true {
            do {
                return try resizeLock.withShared { () throws -> T in
                    let txn = try begin(flags: 0)
                    let result: T
                    do {
                        result = try body(WriteTransaction(txn))
                    } catch {
                        mdb_txn_abort(txn)
                        throw error
                    }
                    // A failed commit frees the transaction itself: it must not be aborted too.
                    try check(mdb_txn_commit(txn), "mdb_txn_commit")
                    return result
                }
            } catch let error as EventStoreError where error.isMapFull {
                try grow()
            } catch let error as EventStoreError where error.isMapResized {
                try adoptForeignResize()
            } catch let error as EventStoreError where error.lmdbCode == EIO {
                // A short write: say "disk full" when that is why (see NoRoomDiagnosis).
                guard case let .storage(operation, _, _) = error, let cause = NoRoomDiagnosis.cause(directory: path) else { throw error }
                throw EventStoreError.storage(operation: operation, code: cause, message: String(cString: strerror(cause)))
            }
        }
    }

    /// Doubles the map (at least), waiting for every open transaction of this process to end.
    func grow() throws(EventStoreError) {
        try resizeLock.withExclusive { () throws(EventStoreError) in
            let current = mapSize
            let next = current < (1 << 30) ? current * 2 : current + (1 << 30)
            try check(mdb_env_set_mapsize(env, next), "mdb_env_set_mapsize(\(next))")
            var info = MDB_envinfo()
            mdb_env_info(env, &info)
            mapSizeLock.withLock { _mapSize = info.me_mapsize }
        }
    }

    /// Opens (and when `create`, creates) a named sub-database.
    func openDatabase(named name: String, in txn: OpaquePointer, create: Bool) throws(EventStoreError) -> Database? {
        var dbi: MDB_dbi = 0
        let code = mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_dbi_open(\(name))")
        return Database(name: name, dbi: dbi)
    }

    /// Copies the environment to `directory`, compacting it, while writers keep running.
    func copy(to directory: String) throws(EventStoreError) {
        try resizeLock.withShared { () throws(EventStoreError) in
            try check(mdb_env_copy2(env, directory, UInt32(MDB_CP_COMPACT)), "mdb_env_copy2(\(directory))")
        }
    }

    private func begin(flags: UInt32) throws(EventStoreError) -> OpaquePointer {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, flags, &txn), "mdb_txn_begin")
        return txn!
    }

    /// Another process grew the map: adopt its size, with no transaction of ours open.
    private func adoptForeignResize() throws(EventStoreError) {
        try resizeLock.withExclusive { () throws(EventStoreError) in
            try check(mdb_env_set_mapsize(env, 0), "mdb_env_set_mapsize(0)")
            var info = MDB_envinfo()
            mdb_env_info(env, &info)
            mapSizeLock.withLock { _mapSize = info.me_mapsize }
        }
    }
}
