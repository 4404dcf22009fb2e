import Foundation

/// The store's own sub-databases and the lookups every part of the store shares.
struct StoreTables: Sendable {
    let log: Database
    let streams: Database
    let ids: Database
    let meta: Database
    let checkpoints: Database

    /// The position an event id was written at, if it was.
    func position(ofEvent eventID: UUID, in txn: ReadTransaction) throws -> UInt64? {
        try txn.withValue(forKey: Layout.idKey(eventID), in: ids) { $0.flatMap(PositionKey.decode) }
    }

    /// A stream's current version: the version of its last event, 0 if it has none.
    func version(ofStream streamID: String, in txn: ReadTransaction) throws -> UInt64 {
        let probe = Layout.streamKey(streamID, version: .max)
        let prefixCount = probe.count - 8
        let cursor = try Cursor(txn: txn.txn, database: streams)
        defer { cursor.close() }
        guard let (key, _) = try cursor.seek(atMost: probe), key.count == probe.count,
              key.prefix(prefixCount).elementsEqual(probe.prefix(prefixCount))
        else { return 0 }
        return UInt64(bigEndian: key.loadUnaligned(fromByteOffset: prefixCount, as: UInt64.self))
    }

    /// The decoded envelope at `position`, if there is one.
    func event(at position: UInt64, in txn: ReadTransaction) throws -> RecordedEvent? {
        try txn.withValue(forKey: PositionKey.encode(position), in: log) { bytes -> RecordedEvent? in
            guard let bytes else { return nil }
            do { return try EnvelopeCodec.decode(bytes) } catch let error as EnvelopeCodec.Malformed {
                throw EventStoreError.corruptEnvelope(position: position, reason: error.description)
            }
        }
    }

    /// The head recorded in `meta`, or `nil` for a store that has never been appended to.
    func recordedHead(in txn: ReadTransaction) throws -> LogHead? {
        try txn.withValue(forKey: Layout.headKey, in: meta) { $0.flatMap(LogHead.init(encoded:)) }
    }

    /// The position of the last envelope in `log`, 0 when empty.
    func lastPosition(in txn: ReadTransaction) throws -> UInt64 {
        let cursor = try Cursor(txn: txn.txn, database: log)
        defer { cursor.close() }
        return try cursor.last().flatMap { PositionKey.decode($0.key) } ?? 0
    }
}
