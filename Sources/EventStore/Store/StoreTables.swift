import Foundation

/// The store's own sub-databases and the lookups every part of the store shares.
struct StoreTables: Sendable {
    let log: Database
    let streams: Database
    let marks: Database
    let ids: Database
    let meta: Database
    let checkpoints: Database

    /// The position an event id was written at, if it was.
    func position(ofEvent eventID: UUID, in txn: ReadTransaction) throws -> UInt64? {
        try txn.withValue(forKey: Layout.idKey(eventID), in: ids) { $0.flatMap(PositionKey.decode) }
    }

    /// Where a stream ends; ``StreamTip/none`` if it has no events.
    func tip(ofStream streamID: String, in txn: ReadTransaction) throws -> StreamTip {
        try txn.withValue(forKey: Layout.streamKey(streamID), in: streams) { bytes in
            guard let bytes else { return StreamTip.none }
            guard let tip = StreamTip(encoded: bytes) else {
                throw EventStoreError.corruptEnvelope(position: 0, reason: "the stream index entry of \(streamID) is malformed")
            }
            return tip
        }
    }

    /// A stream's current version: the version of its last event, 0 if it has none.
    func version(ofStream streamID: String, in txn: ReadTransaction) throws -> UInt64 {
        try tip(ofStream: streamID, in: txn).version
    }

    /// The positions of a stream's events with versions in `versions`, oldest first.
    ///
    /// Starts from the nearest mark at or above the range's top (or from the tip) and follows the
    /// envelopes' back-links down to the range's bottom: at most 63 steps more than the range.
    func positions(ofStream streamID: String, versions: ClosedRange<UInt64>, tip: StreamTip, in txn: ReadTransaction) throws -> [UInt64] {
        guard versions.upperBound <= tip.version, versions.lowerBound >= 1 else { return [] }
        var current = tip
        if versions.upperBound < tip.version {
            let probe = Layout.markKey(streamID, version: versions.upperBound)
            let prefixCount = probe.count - 8
            let cursor = try Cursor(txn: txn.txn, database: marks)
            defer { cursor.close() }
            if let (key, value) = try cursor.seek(atLeast: probe), key.count == probe.count,
               key.prefix(prefixCount).elementsEqual(probe.prefix(prefixCount)), let position = PositionKey.decode(value) {
                current = StreamTip(version: UInt64(bigEndian: key.loadUnaligned(fromByteOffset: prefixCount, as: UInt64.self)), position: position)
            }
        }
        var found: [UInt64] = []
        found.reserveCapacity(versions.count)
        while current.version >= versions.lowerBound {
            if current.version <= versions.upperBound { found.append(current.position) }
            let link = try txn.withValue(forKey: PositionKey.encode(current.position), in: log) { $0.flatMap(EnvelopeCodec.streamLink) }
            guard let link, link.version == current.version else {
                throw EventStoreError.corruptEnvelope(position: current.position, reason: "it is not version \(current.version) of \(streamID), as the stream's links say")
            }
            if current.version == 1 { break }
            current = StreamTip(version: current.version - 1, position: link.previous)
        }
        return found.reversed()
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

    /// The last envelope's position, hash and time — the head is the log's tail, stored nowhere
    /// else, so it can never disagree with the log.
    func tailHead(in txn: ReadTransaction) throws -> LogHead {
        let cursor = try Cursor(txn: txn.txn, database: log)
        defer { cursor.close() }
        guard let (key, value) = try cursor.last() else { return .empty }
        guard let position = PositionKey.decode(key) else {
            throw EventStoreError.corruptEnvelope(position: 0, reason: "the last log key is not a position")
        }
        do {
            let event = try EnvelopeCodec.decode(value)
            return LogHead(position: position, hash: event.hash, recordedAtMicroseconds: event.recordedAtMicroseconds)
        } catch let error as EnvelopeCodec.Malformed {
            throw EventStoreError.corruptEnvelope(position: position, reason: error.description)
        }
    }

    /// The position of the last envelope in `log`, 0 when empty.
    func lastPosition(in txn: ReadTransaction) throws -> UInt64 {
        let cursor = try Cursor(txn: txn.txn, database: log)
        defer { cursor.close() }
        return try cursor.last().flatMap { PositionKey.decode($0.key) } ?? 0
    }
}
