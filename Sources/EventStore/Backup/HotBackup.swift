import Foundation

/// What a hot backup copied.
public struct BackupResult: Sendable, Hashable {
    /// The directory the copy was written to.
    public var directory: String
    /// The head of the copy: every event up to here is in it.
    public var head: LogHead
    /// The size of the copied data file in bytes.
    public var bytes: Int
}

extension LMDBEventStore {
    /// Copies the whole environment, compacted, into `directory` while appends keep running.
    ///
    /// The copy is a consistent snapshot (LMDB copies within one read transaction). `directory`
    /// must not exist or be empty. Blocking: call it off the cooperative pool for large stores.
    public func backup(to directory: String) throws -> BackupResult {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw EventStoreError.notAStore(directory: directory, reason: "the backup destination is a file")
            }
            guard (try manager.contentsOfDirectory(atPath: directory)).isEmpty else {
                throw EventStoreError.notAStore(directory: directory, reason: "the backup destination is not empty; choose an empty or new directory")
            }
        } else {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try environment.copy(to: directory)
        let copy = try LMDBEventStore(directory: directory, options: StoreOptions(readOnly: true))
        defer { copy.close() }
        let head = try copy.currentHead()
        let attributes = try manager.attributesOfItem(atPath: directory + "/data.mdb")
        return BackupResult(directory: directory, head: head, bytes: (attributes[.size] as? NSNumber)?.intValue ?? 0)
    }
}
