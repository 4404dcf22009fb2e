import CLMDB
import Foundation

/// Everything the event store can refuse or fail with, each case carrying what an operator or a
/// caller needs to act on it.
public enum EventStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Optimistic concurrency: the stream was not at the version the caller expected.
    case wrongExpectedVersion(streamID: String, expected: ExpectedVersion, actual: UInt64)
    /// A stream id is empty, too long, contains NUL, or is not UTF-8.
    case invalidStreamID(String, reason: String)
    /// A consumer asked for a database name the store keeps for itself.
    case reservedDatabaseName(String)
    /// An event's type name is empty or too long.
    case invalidEventType(String, reason: String)
    /// An event is larger than the store accepts.
    case eventTooLarge(eventID: UUID, bytes: Int, limit: Int)
    /// An append with no events, or with a stream that has none.
    case emptyAppend
    /// The same stream appears twice in one append, or the same event id twice.
    case ambiguousAppend(reason: String)
    /// Some, but not all, of an append's event ids were already written: a retry that changed.
    case partialDuplicate(knownEventID: UUID)
    /// The data directory holds a log of a format this build cannot read.
    case unsupportedFormat(directory: String, found: UInt32, supported: UInt32)
    /// The data directory is not an Ironlog store, or its files are damaged.
    case notAStore(directory: String, reason: String)
    /// An envelope in the log cannot be read.
    case corruptEnvelope(position: UInt64, reason: String)
    /// LMDB refused an operation.
    case storage(operation: String, code: Int32, message: String)
    /// Another store (in this or another process) has the data directory open for writing.
    case alreadyOpen(directory: String, holder: Int32?)
    /// The store was opened read-only and asked to write.
    case readOnly
    /// The store has been closed.
    case closed

    public var description: String {
        switch self {
        case let .wrongExpectedVersion(stream, expected, actual):
            "stream \(stream) is at version \(actual), but the append expected \(expected); reload it and retry"
        case let .invalidStreamID(id, reason):
            "invalid stream id \"\(id.prefix(80))\": \(reason)"
        case .reservedDatabaseName(let name):
            "the database name \(name) is reserved by the event store; choose another (projections use a prefix such as proj/)"
        case let .invalidEventType(type, reason):
            "invalid event type \"\(type.prefix(80))\": \(reason)"
        case let .eventTooLarge(eventID, bytes, limit):
            "event \(eventID) is \(bytes) bytes; the limit is \(limit) bytes"
        case .emptyAppend:
            "an append must carry at least one event for each stream it names"
        case let .ambiguousAppend(reason):
            "ambiguous append: \(reason)"
        case let .partialDuplicate(eventID):
            "event \(eventID) was already appended, but other events of the same append were not; resend exactly the original append"
        case let .unsupportedFormat(directory, found, supported):
            "the data directory \(directory) holds log format \(found); this ironlog reads format \(supported). Use a matching ironlog build, or export and import the log"
        case let .notAStore(directory, reason):
            "\(directory) is not a usable Ironlog data directory: \(reason). Point --data at an Ironlog data directory, or restore this one from a backup: ironlog restore BACKUP --data \(directory) --force (see docs/disaster-recovery.md)"
        case let .corruptEnvelope(position, reason):
            "the envelope at position \(position) is corrupt: \(reason). Run ironlog verify to find the first bad position, then restore from a backup"
        case let .storage(operation, code, message):
            DiskFull.refusedWrite(operation: operation, code: code)
                ? "the disk holding the data directory is full (\(message) in \(operation)): nothing of this write was recorded, and everything recorded before it is intact. Free disk space on the data directory's volume (or raise its quota or file size limit), then retry"
                : "storage error in \(operation): \(message) (LMDB \(code))"
        case let .alreadyOpen(directory, holder):
            "the data directory \(directory) is already open for writing\(holder.map { " by process \($0)" } ?? ""); stop that ironlog first, or read it with a read-only command such as ironlog verify"
        case .readOnly:
            "the store is open read-only"
        case .closed:
            "the store is closed"
        }
    }
}

extension EventStoreError {
    /// Whether the error is a commit the disk had no room for (full, over quota, over the file size
    /// limit): nothing of it was written, and retrying once space is freed succeeds.
    public var isDiskFull: Bool {
        if case let .storage(operation, code, _) = self { return DiskFull.refusedWrite(operation: operation, code: code) }
        return false
    }
}

/// The error numbers a write gets when there is no room for it.
enum DiskFull {
    /// A failed commit with one of them wrote nothing. A failed sync (`mdb_env_sync`) is not one:
    /// what it was to make durable is already committed, and may or may not survive a crash.
    static func refusedWrite(operation: String, code: Int32) -> Bool {
        !operation.hasPrefix("mdb_env_sync") && (code == ENOSPC || code == EDQUOT || code == EFBIG)
    }
}

extension EventStoreError: LocalizedError {
    public var errorDescription: String? { description }
}
