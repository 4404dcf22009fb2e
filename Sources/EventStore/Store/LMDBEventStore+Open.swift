import CLMDB
import Foundation

extension LMDBEventStore {
    /// Makes sure `directory` can hold a store: creates it when writing, refuses a file in its place.
    static func prepare(directory: String, readOnly: Bool) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw EventStoreError.notAStore(directory: directory, reason: "it is a file, not a directory")
            }
            try checkDataFileLength(directory: directory)
        } else if readOnly {
            throw EventStoreError.notAStore(directory: directory, reason: "it does not exist")
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw EventStoreError.notAStore(directory: directory, reason: "it cannot be created (\(error.localizedDescription))")
            }
        }
    }

    /// Refuses a data file too short to hold LMDB's two meta pages. LMDB would take an empty file
    /// for a new environment and write an empty log over what the directory held.
    static func checkDataFileLength(directory: String) throws {
        let path = directory + "/data.mdb"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.uint64Value else { return }
        if let problem = DataFileLength.problem(size: size) {
            throw EventStoreError.notAStore(directory: directory, reason: problem)
        }
    }

    /// Opens the store's databases and checks (or, for a new store, writes) the format marker.
    ///
    /// In a store that was initialised (it has its `meta` database), the log and its indexes must
    /// all be there: one that is missing is refused rather than created empty, which would serve an
    /// empty log or an index that knows nothing.
    static func bootstrap(_ environment: Environment, directory: String, readOnly: Bool) throws -> StoreTables {
        let body = { (txn: OpaquePointer, write: WriteTransaction?) throws -> StoreTables in
            let main = Database(name: "(main)", dbi: 1) // LMDB's MAIN_DBI: it also lists the named databases
            let existingMeta = try environment.openDatabase(named: Layout.meta, in: txn, create: false)
            if existingMeta == nil, try ReadTransaction(txn).count(of: main) > 0 {
                throw EventStoreError.notAStore(directory: directory, reason: "it holds an LMDB environment that is not an Ironlog log")
            }
            let initialised = existingMeta != nil
            func open(_ txn: OpaquePointer, _ name: String) throws -> Database {
                let mustExist = initialised && Layout.required.contains(name)
                guard let database = try environment.openDatabase(named: name, in: txn, create: !readOnly && !mustExist) else {
                    throw EventStoreError.notAStore(directory: directory, reason: Layout.missingReason(name))
                }
                return database
            }
            let tables = StoreTables(
                log: try open(txn, Layout.log), streams: try open(txn, Layout.streams), marks: try open(txn, Layout.marks),
                ids: try open(txn, Layout.ids),
                meta: try open(txn, Layout.meta), checkpoints: try open(txn, Layout.checkpoints)
            )
            let format = try ReadTransaction(txn).withValue(forKey: Layout.formatKey, in: tables.meta) { bytes -> UInt32? in
                guard let bytes else { return nil }
                guard bytes.count == 4 else { return 0 }
                return UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))
            }
            switch format {
            case Layout.formatVersion?:
                break
            case let found?:
                throw EventStoreError.unsupportedFormat(directory: directory, found: found, supported: Layout.formatVersion)
            case nil:
                guard try ReadTransaction(txn).count(of: tables.log) == 0 else {
                    throw EventStoreError.notAStore(directory: directory, reason: "its log has no format marker")
                }
                guard let write else { throw EventStoreError.notAStore(directory: directory, reason: "it has never been initialised") }
                try write.put(Layout.encodeFormat(Layout.formatVersion), forKey: Layout.formatKey, in: tables.meta, flags: 0)
            }
            return tables
        }
        if readOnly {
            return try environment.read(keepingHandles: true) { txn in try body(txn.txn, nil) }
        }
        return try environment.write { txn in try body(txn.txn, txn) }
    }

    /// Finds the head (the last envelope) and checks that it chains from the envelope before it,
    /// so a store whose tail was damaged is refused at open instead of appended onto.
    static func checkedHead(_ environment: Environment, tables: StoreTables, directory: String) throws -> LogHead {
        try environment.read { txn in
            let head: LogHead
            do { head = try tables.tailHead(in: txn) } catch let error as EventStoreError {
                throw EventStoreError.notAStore(directory: directory, reason: "its last envelope cannot be read (\(error)); run ironlog verify")
            }
            guard head.position > 0 else { return .empty }
            let previous = head.position > 1 ? try? tables.event(at: head.position - 1, in: txn)?.hash : EnvelopeHash.genesis
            let intact = try txn.withValue(forKey: PositionKey.encode(head.position), in: tables.log) { stored -> Bool in
                guard let stored, let previous, stored.count > EnvelopeHash.byteCount else { return false }
                let canonical = UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - EnvelopeHash.byteCount)])
                return EnvelopeHash.chaining(previous, canonical) == head.hash
            }
            guard intact else {
                throw EventStoreError.notAStore(directory: directory, reason: "the last envelope (position \(head.position)) does not chain from the one before it; run ironlog verify")
            }
            return head
        }
    }

    /// Turns an LMDB failure at open into a message that says what to do.
    static func openError(_ error: any Error, directory: String) -> any Error {
        guard let error = error as? EventStoreError, case let .storage(_, code, message) = error else { return error }
        switch code {
        case MDB_INVALID:
            return EventStoreError.notAStore(directory: directory, reason: "its data file is not an LMDB database (\(message))")
        case MDB_VERSION_MISMATCH:
            return EventStoreError.notAStore(directory: directory, reason: "it was written by an incompatible LMDB version")
        case MDB_CORRUPTED, MDB_PAGE_NOTFOUND:
            return EventStoreError.notAStore(directory: directory, reason: "its data file is damaged (\(message))")
        case ENOENT:
            return EventStoreError.notAStore(directory: directory, reason: "it has no data file (\(message))")
        case EACCES:
            return EventStoreError.notAStore(directory: directory, reason: "permission denied (\(message))")
        default:
            return error
        }
    }
}
