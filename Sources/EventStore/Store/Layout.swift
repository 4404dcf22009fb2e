import Foundation

/// Where things live inside the LMDB environment.
///
/// - `log`: position (u64 big-endian) → envelope; written only with `MDB_APPEND`.
/// - `streams`: stream id ‖ 0x00 ‖ version (u64 big-endian) → position.
/// - `ids`: event id (16 bytes) → position; permanent, so a repeated event id is recognised forever.
/// - `meta`: `format` → u32; `head` → position ‖ hash ‖ recorded µs of the last envelope.
/// - `checkpoints`: consumer name → position it has processed up to.
enum Layout {
    static let formatVersion: UInt32 = 1

    static let log = "log"
    static let streams = "streams"
    static let ids = "ids"
    static let meta = "meta"
    static let checkpoints = "checkpoints"

    /// Names reserved by the store; consumers' databases may not use them.
    static let reserved: Set<String> = [log, streams, ids, meta, checkpoints]

    static let formatKey = Array("format".utf8)
    static let headKey = Array("head".utf8)

    static func streamKey(_ streamID: String, version: UInt64) -> [UInt8] {
        var key = Array(streamID.utf8)
        key.reserveCapacity(key.count + 9)
        key.append(0)
        withUnsafeBytes(of: version.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

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

    var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 48)
        writer.u64(position)
        hash.withUnsafeBytes { writer.bytes.append(contentsOf: $0) }
        writer.u64(UInt64(bitPattern: recordedAtMicroseconds))
        return writer.bytes
    }

    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 48 else { return nil }
        var reader = ByteReader(bytes)
        guard let position = try? reader.u64(), let hashBytes = try? reader.bytes(32), let time = try? reader.u64() else { return nil }
        self.init(position: position, hash: EnvelopeHash(bytes: hashBytes), recordedAtMicroseconds: Int64(bitPattern: time))
    }
}
