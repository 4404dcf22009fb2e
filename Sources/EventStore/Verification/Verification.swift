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
    /// key, a hash that does not chain, an undecodable envelope, a head that is not the last
    /// envelope, or an index entry pointing at the wrong envelope.
    ///
    /// Runs in read snapshots of `batchSize` envelopes, so it is safe on a live store; `progress`
    /// is called after each batch with the position reached and the head it is walking towards.
    public func verify(batchSize: Int = 8192, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> VerificationReport {
        let recordedHead = try currentHead()
        var report = VerificationReport(envelopesChecked: 0, indexEntriesChecked: 0, head: .empty, firstProblem: nil)
        var previous = LogHead.empty
        var expected: UInt64 = 1
        chain: while true {
            var count = 0
            var problem: VerificationReport.Problem?
            try read { txn in
                try txn.forEach(in: tables.log, from: PositionKey.encode(expected)) { key, value in
                    guard let position = PositionKey.decode(key) else {
                        problem = .init(position: expected, reason: "a log key of \(key.count) bytes is not a position")
                        return false
                    }
                    guard position == expected else {
                        problem = .init(position: expected, reason: "the log skips from \(expected - 1) to \(position)")
                        return false
                    }
                    guard value.count > EnvelopeHash.byteCount else {
                        problem = .init(position: position, reason: "the envelope is \(value.count) bytes, too short to hold a hash")
                        return false
                    }
                    let event: RecordedEvent
                    do { event = try EnvelopeCodec.decode(value) } catch let error as EnvelopeCodec.Malformed {
                        problem = .init(position: position, reason: "the envelope cannot be decoded: \(error.description)")
                        return false
                    }
                    guard event.position == position else {
                        problem = .init(position: position, reason: "the envelope says it is position \(event.position)")
                        return false
                    }
                    let canonical = UnsafeRawBufferPointer(rebasing: value[..<(value.count - EnvelopeHash.byteCount)])
                    guard EnvelopeHash.chaining(previous.hash, canonical) == event.hash else {
                        problem = .init(position: position, reason: "the hash does not match the envelope and the hash before it")
                        return false
                    }
                    previous = LogHead(position: position, hash: event.hash, recordedAtMicroseconds: event.recordedAtMicroseconds)
                    report.envelopesChecked += 1
                    expected += 1
                    count += 1
                    return count < batchSize
                }
            }
            progress?(previous.position, recordedHead.position)
            if let problem {
                report.firstProblem = problem
                report.head = previous
                return report
            }
            if count < batchSize { break chain }
        }
        report.head = previous
        if previous.position < recordedHead.position {
            report.firstProblem = .init(position: previous.position + 1, reason: "the recorded head is \(recordedHead.position) but the log ends at \(previous.position)")
            return report
        }
        if previous != recordedHead && recordedHead.position != 0 {
            report.firstProblem = .init(position: recordedHead.position, reason: "the recorded head hash differs from the last envelope's")
            return report
        }
        report.firstProblem = try verifyIndexes(checked: &report.indexEntriesChecked)
        return report
    }

    /// Checks that every `streams` and `ids` entry points at an envelope that says the same, and
    /// that each index holds exactly one entry per envelope.
    private func verifyIndexes(checked: inout UInt64) throws -> VerificationReport.Problem? {
        try read { txn in
            var problem: VerificationReport.Problem?
            var streamEntries: UInt64 = 0
            try txn.forEach(in: tables.streams) { key, value in
                streamEntries += 1
                guard key.count > 9, let position = PositionKey.decode(value) else {
                    problem = .init(position: 0, reason: "a stream index entry is malformed")
                    return false
                }
                let streamID = String(decoding: UnsafeRawBufferPointer(rebasing: key[..<(key.count - 9)]), as: UTF8.self)
                let version = UInt64(bigEndian: key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self))
                guard let event = try tables.event(at: position, in: txn), event.streamID == streamID, event.streamVersion == version else {
                    problem = .init(position: position, reason: "the stream index says \(streamID) version \(version) is here, but the envelope disagrees")
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
            checked = streamEntries + idEntries
            if streamEntries != envelopes {
                return .init(position: 0, reason: "the stream index has \(streamEntries) entries for \(envelopes) envelopes")
            }
            if idEntries != envelopes {
                return .init(position: 0, reason: "the event id index has \(idEntries) entries for \(envelopes) envelopes")
            }
            return nil
        }
    }
}
