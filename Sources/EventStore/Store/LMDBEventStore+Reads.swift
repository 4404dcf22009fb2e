import Foundation

extension LMDBEventStore {
    /// Runs `body` in a read-only transaction: a consistent snapshot that never blocks the writer.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        try environment.read(body)
    }

    public func read(from position: UInt64, limit: Int) async throws -> [RecordedEvent] {
        try events(from: position, limit: limit)
    }

    /// Up to `limit` envelopes with positions ≥ `position`, read synchronously.
    public func events(from position: UInt64, limit: Int) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        events.reserveCapacity(min(limit, 4096))
        try scan(from: position) { event in
            events.append(event)
            return events.count < limit
        }
        return events
    }

    /// Calls `body` with up to `limit` envelopes from `position` on, read in place inside one read
    /// transaction: nothing is copied or allocated per envelope. The views are valid only during
    /// each call. Returns how many envelopes were visited.
    @discardableResult
    public func withEnvelopes(from position: UInt64, limit: Int, _ body: (EnvelopeView) throws -> Void) throws -> Int {
        var count = 0
        try read { txn in
            try txn.forEach(in: tables.log, from: PositionKey.encode(max(position, 1))) { key, value in
                guard count < limit, let position = PositionKey.decode(key) else { return false }
                let view: EnvelopeView
                do { view = try EnvelopeCodec.view(value) } catch let error as EnvelopeCodec.Malformed {
                    throw EventStoreError.corruptEnvelope(position: position, reason: error.description)
                }
                try body(view)
                count += 1
                return count < limit
            }
        }
        return count
    }

    /// Calls `body` with every envelope from `position` on, in order, until it returns `false` or
    /// the log ends — the fast path for replay and rebuild.
    ///
    /// Reads in snapshots of `batchSize` envelopes so no read transaction is held for long.
    public func scan(from position: UInt64, through last: UInt64 = .max, batchSize: Int = 8192, _ body: (RecordedEvent) throws -> Bool) throws {
        var next = max(position, 1)
        while next <= last {
            var count = 0
            var stopped = false
            try read { txn in
                try txn.forEach(in: tables.log, from: PositionKey.encode(next)) { key, value in
                    guard let position = PositionKey.decode(key), position <= last else {
                        stopped = true
                        return false
                    }
                    let event: RecordedEvent
                    do { event = try EnvelopeCodec.decode(value) } catch let error as EnvelopeCodec.Malformed {
                        throw EventStoreError.corruptEnvelope(position: position, reason: error.description)
                    }
                    count += 1
                    next = position + 1
                    guard try body(event) else {
                        stopped = true
                        return false
                    }
                    return count < batchSize
                }
            }
            if stopped || count < batchSize { return }
        }
    }

    public func readStream(_ streamID: String, from version: UInt64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        try events(ofStream: streamID, from: version, direction: direction, limit: limit)
    }

    /// Up to `limit` envelopes of one stream from `version` (inclusive) in `direction`, read synchronously.
    public func events(ofStream streamID: String, from version: UInt64 = 1, direction: ReadDirection = .forward, limit: Int = .max) throws -> [RecordedEvent] {
        try AppendValidation.validate(streamID: streamID)
        guard limit > 0 else { return [] }
        let span = UInt64(limit) - 1
        return try read { txn in
            let tip = try tables.tip(ofStream: streamID, in: txn)
            let range: ClosedRange<UInt64>
            switch direction {
            case .forward:
                let low = max(version, 1)
                guard low <= tip.version else { return [] }
                range = low...(span >= tip.version - low ? tip.version : low + span)
            case .backward:
                let high = min(version, tip.version)
                guard high >= 1 else { return [] }
                range = (high > span ? high - span : 1)...high
            }
            let positions = try tables.positions(ofStream: streamID, versions: range, tip: tip, in: txn)
            let events = try positions.map { position in
                guard let event = try tables.event(at: position, in: txn) else {
                    throw EventStoreError.corruptEnvelope(position: position, reason: "the stream index of \(streamID) points at a missing envelope")
                }
                return event
            }
            return direction == .forward ? events : events.reversed()
        }
    }

    public func streamVersion(_ streamID: String) async throws -> UInt64 {
        try version(ofStream: streamID)
    }

    /// The stream's current version, read synchronously; 0 if it has no events.
    public func version(ofStream streamID: String) throws -> UInt64 {
        try AppendValidation.validate(streamID: streamID)
        return try read { txn in try tables.version(ofStream: streamID, in: txn) }
    }

    public func head() async throws -> LogHead {
        options.readOnly ? try currentHead() : durableHead
    }

    /// The last envelope in the file, read synchronously: committed, and durable unless the
    /// writer is between a commit and the sync that follows it.
    public func currentHead() throws -> LogHead {
        try read { txn in try tables.tailHead(in: txn) }
    }

    /// The envelope at `position`, if the log reaches it.
    public func event(at position: UInt64) throws -> RecordedEvent? {
        try read { txn in try tables.event(at: position, in: txn) }
    }

    /// The position an event id was appended at, if it was.
    public func position(ofEvent eventID: UUID) throws -> UInt64? {
        try read { txn in try tables.position(ofEvent: eventID, in: txn) }
    }
}
