import Foundation

/// The outcome of walking the log: how far it is sound and, if it is not, where it first breaks.
public struct VerificationReport: Sendable, Hashable {
    /// The first position at which the log is not what it should be, and why.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The first bad position (for an index problem, the position the index names).
        public var position: UInt64
        /// What is wrong there.
        public var reason: String

        public var description: String { "position \(position): \(reason)" }
    }

    /// Envelopes whose hash and position were checked before the walk stopped.
    public var envelopesChecked: UInt64
    /// Index entries (streams and ids) checked against the envelopes they point at.
    public var indexEntriesChecked: UInt64
    /// The head the walk ended at.
    public var head: LogHead
    /// `nil` when everything checked out.
    public var firstProblem: Problem?

    /// Whether the log verified.
    public var isValid: Bool { firstProblem == nil }
}

extension LMDBEventStore {
    /// Walks the hash chain from the first envelope, then every index, and reports the first
    /// position where anything disagrees: a gap, an envelope whose recorded position is not its
    /// key, a hash that does not chain, an undecodable envelope, or an index entry pointing at the
    /// wrong envelope.
    ///
    /// Runs in read snapshots of `batchSize` envelopes, so it is safe on a live store; `progress`
    /// is called after each batch with the position reached and the head it is walking towards.
    public func verify(batchSize: Int = 8192, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> VerificationReport {
        let recordedHead = try currentHead()
        var walk = ChainWalk()
        chain: while true {
            var count = 0
            var problem: VerificationReport.Problem?
            try read { txn in
                try txn.forEach(in: tables.log, from: PositionKey.encode(walk.expected)) { key, value in
                    problem = walk.step(key, value)
                    guard problem == nil else { return false }
                    count += 1
                    return count < batchSize
                }
            }
            progress?(walk.previous.position, recordedHead.position)
            if let problem {
                return VerificationReport(envelopesChecked: walk.checked, indexEntriesChecked: 0, head: walk.previous, firstProblem: problem)
            }
            if count < batchSize { break chain }
        }
        var indexEntries: UInt64 = 0
        let problem: VerificationReport.Problem? = try read { txn in
            // On a live store the log may have grown since the last batch's snapshot: walk what
            // was appended in this one first, so the indexes read here are checked against
            // exactly the log of the same snapshot.
            var problem: VerificationReport.Problem?
            try txn.forEach(in: tables.log, from: PositionKey.encode(walk.expected)) { key, value in
                problem = walk.step(key, value)
                return problem == nil
            }
            if let problem { return problem }
            return try verifyIndexes(in: txn, tips: walk.tips, checked: &indexEntries)
        }
        return VerificationReport(envelopesChecked: walk.checked, indexEntriesChecked: indexEntries, head: walk.previous, firstProblem: problem)
    }

    /// Checks every index against the envelopes: each stream's tip, each mark, each event id —
    /// and that each index holds exactly the entries the log calls for.
    private func verifyIndexes(in txn: ReadTransaction, tips: [String: StreamTip], checked: inout UInt64) throws -> VerificationReport.Problem? {
        do {
            var problem: VerificationReport.Problem?
            var streamEntries: UInt64 = 0
            try txn.forEach(in: tables.streams) { key, value in
                streamEntries += 1
                let streamID = String(decoding: key, as: UTF8.self)
                guard let tip = StreamTip(encoded: value) else {
                    problem = .init(position: 0, reason: "the stream index entry of \(streamID) is malformed")
                    return false
                }
                guard tips[streamID] == tip else {
                    let actual = tips[streamID] ?? .none
                    problem = .init(position: tip.position, reason: "the stream index says \(streamID) ends at version \(tip.version) (position \(tip.position)); the log says version \(actual.version) (position \(actual.position))")
                    return false
                }
                return true
            }
            if let problem { return problem }
            var markEntries: UInt64 = 0
            try txn.forEach(in: tables.marks) { key, value in
                markEntries += 1
                guard key.count > 9, let position = PositionKey.decode(value) else {
                    problem = .init(position: 0, reason: "a stream mark is malformed")
                    return false
                }
                let streamID = String(decoding: UnsafeRawBufferPointer(rebasing: key[..<(key.count - 9)]), as: UTF8.self)
                let version = UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self))
                guard version % Layout.markInterval == 0, let event = try tables.event(at: position, in: txn),
                      event.streamID == streamID, event.streamVersion == version else {
                    problem = .init(position: position, reason: "the mark for \(streamID) version \(version) points at the wrong envelope")
                    return false
                }
                return true
            }
            if let problem { return problem }
            var idEntries: UInt64 = 0
            try txn.forEach(in: tables.ids) { key, value in
                idEntries += 1
                guard key.count == 16, let position = PositionKey.decode(value) else {
                    problem = .init(position: 0, reason: "an event id index entry is malformed")
                    return false
                }
                let eventID = UUID(uuid: key.loadUnaligned(as: uuid_t.self))
                guard let event = try tables.event(at: position, in: txn), event.eventID == eventID else {
                    problem = .init(position: position, reason: "the event id index says \(eventID) is here, but the envelope disagrees")
                    return false
                }
                return true
            }
            if let problem { return problem }
            let envelopes = UInt64(try txn.count(of: tables.log))
            let expectedMarks = tips.values.reduce(0) { $0 + $1.version / Layout.markInterval }
            checked = streamEntries + markEntries + idEntries
            if streamEntries != UInt64(tips.count) {
                return .init(position: 0, reason: "the stream index has \(streamEntries) streams; the log has \(tips.count)")
            }
            if markEntries != expectedMarks {
                return .init(position: 0, reason: "the stream marks number \(markEntries); the log calls for \(expectedMarks)")
            }
            if idEntries != envelopes {
                return .init(position: 0, reason: "the event id index has \(idEntries) entries for \(envelopes) envelopes")
            }
            return nil
        }
    }
}

extension LMDBEventStore {
    /// Checks the last `count` envelopes of the log: positions gapless up to the head, each
    /// decodable, each hash chained to the one before, and the last one the recorded head —
    /// what a start-up checks before trusting the log (a full check is ``verify(batchSize:progress:)``).
    ///
    /// Returns the first problem, or `nil` if the tail is sound.
    public func verifyTail(count: Int = 1024) throws -> VerificationReport.Problem? {
        let head = try currentHead()
        guard head.position > 0 else { return nil }
        let first = head.position > UInt64(count) ? head.position - UInt64(count) + 1 : 1
        return try read { txn in
            var previousHash = EnvelopeHash.genesis
            if first > 1 {
                guard let before = try tables.event(at: first - 1, in: txn) else {
                    return .init(position: first - 1, reason: "the envelope is missing")
                }
                previousHash = before.hash
            }
            var expected = first
            var problem: VerificationReport.Problem?
            try txn.forEach(in: tables.log, from: PositionKey.encode(first)) { key, value in
                guard let position = PositionKey.decode(key), position == expected else {
                    problem = .init(position: expected, reason: "the log skips position \(expected)")
                    return false
                }
                guard value.count > EnvelopeHash.byteCount, let event = try? EnvelopeCodec.decode(value) else {
                    problem = .init(position: position, reason: "the envelope cannot be decoded")
                    return false
                }
                let canonical = UnsafeRawBufferPointer(rebasing: value[..<(value.count - EnvelopeHash.byteCount)])
                guard EnvelopeHash.chaining(previousHash, canonical) == event.hash else {
                    problem = .init(position: position, reason: "the hash does not match the envelope and the hash before it")
                    return false
                }
                previousHash = event.hash
                expected += 1
                return true
            }
            if let problem { return problem }
            guard expected == head.position + 1, previousHash == head.hash else {
                return .init(position: head.position, reason: "the log's last envelope is not the recorded head")
            }
            return nil
        }
    }
}

/// The walk along the hash chain: where it is, and each stream's last event so far.
private struct ChainWalk {
    var previous = LogHead.empty
    var expected: UInt64 = 1
    var tips: [String: StreamTip] = [:]
    var checked: UInt64 = 0

    /// Checks the envelope at `key` as the next of the chain and moves on; the problem if it is not.
    mutating func step(_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> VerificationReport.Problem? {
        guard let position = PositionKey.decode(key) else {
            return .init(position: expected, reason: "a log key of \(key.count) bytes is not a position")
        }
        guard position == expected else {
            return .init(position: expected, reason: "the log skips from \(expected - 1) to \(position)")
        }
        guard value.count > EnvelopeHash.byteCount else {
            return .init(position: position, reason: "the envelope is \(value.count) bytes, too short to hold a hash")
        }
        let event: RecordedEvent
        do { event = try EnvelopeCodec.decode(value) } catch {
            return .init(position: position, reason: "the envelope cannot be decoded: \(error.description)")
        }
        guard event.position == position else {
            return .init(position: position, reason: "the envelope says it is position \(event.position)")
        }
        let canonical = UnsafeRawBufferPointer(rebasing: value[..<(value.count - EnvelopeHash.byteCount)])
        guard EnvelopeHash.chaining(previous.hash, canonical) == event.hash else {
            return .init(position: position, reason: "the hash does not match the envelope and the hash before it")
        }
        let tip = tips[event.streamID] ?? .none
        guard event.streamVersion == tip.version + 1, event.previousPositionInStream == tip.position else {
            return .init(position: position, reason: "it claims version \(event.streamVersion) of \(event.streamID) after position \(event.previousPositionInStream), but the stream's last event so far is version \(tip.version) at position \(tip.position)")
        }
        tips[event.streamID] = StreamTip(version: event.streamVersion, position: position)
        previous = LogHead(position: position, hash: event.hash, recordedAtMicroseconds: event.recordedAtMicroseconds)
        checked += 1
        expected += 1
        return nil
    }
}
