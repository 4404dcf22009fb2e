import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The child side of the crash trials: appends as fast as it can and reports every durable
/// acknowledgement on standard output as `ack <position> <event id>`, one line each.
///
/// A line is written only after `append` returned, so every line the parent reads names an event
/// the store promised to keep. Runs until killed (or until `limit` events, if set).
public enum AppendStorm {
    /// Appends from `writers` concurrent tasks into the store in `directory`.
    public static func run(directory: String, writers: Int, payloadBytes: Int, limit: Int? = nil) async throws {
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .durable))
        defer { store.close() }
        let payload = Data(repeating: 0xAB, count: payloadBytes)
        let perWriter = limit.map { max(1, $0 / max(writers, 1)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var appended = 0
                    while perWriter.map({ appended < $0 }) ?? true {
                        let proposed = ProposedEvent(type: "CrashTrialEvent", metadata: EventMetadata(actor: "storm"), payload: payload)
                        let result = try await store.append(to: "storm/\(writer)", [proposed])
                        report("ack \(result.positions[0]) \(proposed.eventID.uuidString)\n")
                        appended += 1
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// One `write(2)` per line: lines under PIPE_BUF never interleave on a pipe.
    private static func report(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { exit(3) }
                offset += written
            }
        }
    }
}
