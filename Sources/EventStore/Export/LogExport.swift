import Foundation
import Synchronization

/// The log as JSON lines, for an external audit system, and back: an export is a header line
/// (``ExportHeader``) and one ``ExportedEvent`` per line in log order. An import rebuilds every
/// envelope byte for byte, checks that each hash chains from the one before, and appends them to
/// a new, empty store with their original positions, streams, ids, metadata and times — so the
/// imported log's hash chain is the exported one's, head included.
public enum LogExport {
    /// Writes the whole log of `store` to `output`, one line at a time; returns the head written.
    ///
    /// `positions` narrows it to a range of the log (an archive of what follows a point in time);
    /// the header then names the range's last position and hash.
    public static func export(_ store: LMDBEventStore, positions: ClosedRange<UInt64>? = nil, to output: (String) throws -> Void,
                              progress: ((UInt64, UInt64) -> Void)? = nil) throws -> LogHead {
        var head = try store.currentHead()
        let first = positions?.lowerBound ?? 1
        if let last = positions?.upperBound, last < head.position {
            guard let event = try store.event(at: last) else { throw EventStoreError.notAStore(directory: "", reason: "position \(last) is not in the log") }
            head = LogHead(position: last, hash: event.hash, recordedAtMicroseconds: event.recordedAtMicroseconds)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = ExportHeader(format: ExportHeader.formatName, version: ExportHeader.currentVersion,
                                  headPosition: head.position, headHash: head.hash.hex)
        try output(String(decoding: try encoder.encode(header), as: UTF8.self))
        var next = first
        while next <= head.position {
            let batch = try store.events(from: next, limit: 10_000).prefix { $0.position <= head.position }
            guard let last = batch.last else { break }
            for event in batch { try output(String(decoding: try encoder.encode(ExportedEvent(event)), as: UTF8.self)) }
            next = last.position + 1
            progress?(last.position, head.position)
        }
        return head
    }

    /// Why an export can not be imported.
    public struct ImportFailure: Error, CustomStringConvertible {
        /// The line (1 is the header) where it failed.
        public var line: Int
        public var reason: String
        public var description: String { "line \(line) of the export: \(reason)" }
    }

    /// Imports the export whose lines `lines` yields into `directory`, which must be new or empty;
    /// returns the head. Nothing is left in `directory` when it fails.
    public static func importLog<Lines: Sequence>(_ lines: Lines, into directory: String,
                                                  progress: ((UInt64, UInt64) -> Void)? = nil) async throws -> LogHead
        where Lines.Element == String {
        let manager = FileManager.default
        if let contents = try? manager.contentsOfDirectory(atPath: directory), !contents.isEmpty {
            throw EventStoreError.notAStore(directory: directory, reason: "it is not empty; import into a new or empty directory")
        }
        let created = !manager.fileExists(atPath: directory)
        do {
            return try await importChecked(lines, into: directory, progress: progress)
        } catch {
            if created { try? manager.removeItem(atPath: directory) } else {
                for item in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] { try? manager.removeItem(atPath: directory + "/" + item) }
            }
            throw error
        }
    }

    private static func importChecked<Lines: Sequence>(_ lines: Lines, into directory: String,
                                                       progress: ((UInt64, UInt64) -> Void)?) async throws -> LogHead
        where Lines.Element == String {
        let decoder = JSONDecoder()
        var iterator = lines.makeIterator()
        guard let first = iterator.next(), let header = try? decoder.decode(ExportHeader.self, from: Data(first.utf8)),
              header.format == ExportHeader.formatName else {
            throw ImportFailure(line: 1, reason: "no \(ExportHeader.formatName) header: this is not an `ironlog export`")
        }
        guard header.version == ExportHeader.currentVersion else {
            throw ImportFailure(line: 1, reason: "export version \(header.version) is not \(ExportHeader.currentVersion); import it with the version that wrote it")
        }
        // Envelopes are stamped with their recorded time, not the import's.
        let stamp = Atomic<Int64>(0)
        var options = StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly)
        options.clock = { stamp.load(ordering: .relaxed) }
        let store = try LMDBEventStore(directory: directory, options: options)
        defer { store.close() }

        var head = LogHead.empty
        var pending: [RecordedEvent] = []
        func flush() async throws {
            guard let time = pending.first?.recordedAtMicroseconds else { return }
            stamp.store(time, ordering: .relaxed)
            var appends: [StreamAppend] = []
            for event in pending {
                let proposed = ProposedEvent(eventID: event.eventID, type: event.type, schemaVersion: event.schemaVersion,
                                             metadata: event.metadata, payload: event.payload)
                if appends.last?.streamID == event.streamID {
                    appends[appends.count - 1].events.append(proposed)
                } else {
                    appends.append(StreamAppend(streamID: event.streamID, expectedVersion: event.streamVersion == 1 ? .noStream : .exact(event.streamVersion - 1), events: [proposed]))
                }
            }
            _ = try await store.append(appends, condition: nil)
            pending.removeAll(keepingCapacity: true)
        }
        var lineNumber = 1
        while let line = iterator.next() {
            lineNumber += 1
            guard !line.isEmpty else { continue }
            guard let exported = try? decoder.decode(ExportedEvent.self, from: Data(line.utf8)), let event = exported.recorded else {
                throw ImportFailure(line: lineNumber, reason: "not an exported event")
            }
            guard event.position == head.position + 1 else {
                throw ImportFailure(line: lineNumber, reason: "position \(event.position) follows \(head.position): events are missing or out of order")
            }
            guard event.recordedAtMicroseconds >= head.recordedAtMicroseconds else {
                throw ImportFailure(line: lineNumber, reason: "position \(event.position) was recorded before the event ahead of it")
            }
            let canonical = EnvelopeCodec.canonicalBytes(of: event)
            let hash = canonical.withUnsafeBytes { EnvelopeHash.chaining(head.hash, $0) }
            guard hash == event.hash else {
                throw ImportFailure(line: lineNumber, reason: "position \(event.position) does not chain from the one before (its content or hash was changed)")
            }
            // One append holds a stream once (its versions are counted from the stream's tip before
            // the append); a stream seen earlier in the group starts the next append.
            if let time = pending.first?.recordedAtMicroseconds,
               time != event.recordedAtMicroseconds || pending.count >= 1_000
                || (pending.last?.streamID != event.streamID && pending.contains { $0.streamID == event.streamID }) {
                try await flush()
            }
            pending.append(event)
            head = LogHead(position: event.position, hash: hash, recordedAtMicroseconds: event.recordedAtMicroseconds)
            if event.position % 10_000 == 0 { progress?(event.position, header.headPosition) }
        }
        try await flush()
        guard head.position == header.headPosition, head.hash.hex == header.headHash else {
            throw ImportFailure(line: lineNumber, reason: "the export ends at \(head.position), not at its header's head \(header.headPosition): it is cut short")
        }
        let stored = try store.currentHead()
        guard stored == head else {
            throw ImportFailure(line: lineNumber, reason: "the imported log ends at \(stored.position) \(stored.hash.hex), not at \(head.position) \(head.hash.hex)")
        }
        // Appended without a sync per commit; one sync makes the whole import durable.
        try store.environment.sync()
        progress?(head.position, header.headPosition)
        return head
    }
}
