import Foundation

/// Where things live inside the LMDB environment.
///
/// - `log`: position (u64 big-endian) → envelope; written only with `MDB_APPEND`.
/// - `streams`: stream id → the stream's tip: its version ‖ the position of its last event. One
///   entry per stream, so a commit touches one small entry per stream it appends to.
/// - `marks`: stream id ‖ 0x00 ‖ version (u64 big-endian) → position, for every 64th version: the
///   stepping stones that let a read start anywhere in a long stream, walking at most 64 back-links.
/// - `ids`: event id (16 bytes) → position; permanent, so a repeated event id is recognised forever.
/// - `meta`: `format` → u32 (the head is the log's last envelope, stored nowhere else).
/// - `checkpoints`: consumer name → position it has processed up to.
enum Layout {
    static let formatVersion: UInt32 = 1

    static let log = "log"
    static let streams = "streams"
    static let marks = "marks"
    static let ids = "ids"
    static let meta = "meta"
    static let checkpoints = "checkpoints"

    /// Names reserved by the store; consumers' databases may not use them.
    static let reserved: Set<String> = [log, streams, marks, ids, meta, checkpoints]

    /// The log and its indexes: an initialised store without one of them is damaged.
    static let required: Set<String> = [log, streams, marks, ids, meta]

    /// Why a store without the database `name` cannot be used.
    static func missingReason(_ name: String) -> String {
        let what = name == log ? "the event log itself" : "an index of the log"
        return "its \(name) database (\(what)) is missing: the data file was damaged or edited outside Ironlog"
    }

    /// Every how many versions a stream gets a mark.
    static let markInterval: UInt64 = 64

    static let formatKey = Array("format".utf8)

    static func markKey(_ streamID: String, version: UInt64) -> [UInt8] {
        var key = Array(streamID.utf8)
        key.reserveCapacity(key.count + 9)
        key.append(0)
        withUnsafeBytes(of: version.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    static func streamKey(_ streamID: String) -> [UInt8] { Array(streamID.utf8) }

    static func idKey(_ eventID: UUID) -> [UInt8] {
        withUnsafeBytes(of: eventID.uuid) { Array($0) }
    }

    static func encodeFormat(_ version: UInt32) -> [UInt8] {
        withUnsafeBytes(of: version.bigEndian) { Array($0) }
    }
}

/// The last envelope of the log: where the next append goes and what it chains to.
public struct LogHead: Sendable, Hashable {
    /// The position of the last envelope; 0 for an empty log.
    public var position: UInt64
    /// Its hash; ``EnvelopeHash/genesis`` for an empty log.
    public var hash: EnvelopeHash
    /// When it was recorded (µs since 1970); 0 for an empty log.
    public var recordedAtMicroseconds: Int64

    /// The head of an empty log.
    public static let empty = LogHead(position: 0, hash: .genesis, recordedAtMicroseconds: 0)

    /// Creates a head value.
    public init(position: UInt64, hash: EnvelopeHash, recordedAtMicroseconds: Int64) {
        self.position = position
        self.hash = hash
        self.recordedAtMicroseconds = recordedAtMicroseconds
    }
}

/// Where a stream ends: its version and the position of its last event.
struct StreamTip: Sendable, Hashable {
    var version: UInt64
    var position: UInt64

    static let none = StreamTip(version: 0, position: 0)

    var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 16)
        writer.u64(version)
        writer.u64(position)
        return writer.bytes
    }

    init(version: UInt64, position: UInt64) {
        self.version = version
        self.position = position
    }

    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 16 else { return nil }
        version = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        position = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }
}
