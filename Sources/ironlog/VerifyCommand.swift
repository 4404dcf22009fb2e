import ArgumentParser
import EventStore
import Foundation

/// `ironlog verify`: walk the hash chain and every index; exit 1 naming the first bad position.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the log's hash chain and indexes; safe while the server runs.",
        discussion: "Exits 0 when the log verifies; exits 1 and names the first bad position otherwise."
    )

    @OptionGroup var data: DataDirectoryOption

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() async throws {
        let store = try LMDBEventStore(directory: data.path, options: StoreOptions(readOnly: true))
        defer { store.close() }
        let progress = ProgressReporter("verifying")
        let report = try store.verify { done, total in progress.update(done, of: total) }
        progress.finish()
        if json {
            var object: [String: Any] = [
                "valid": report.isValid,
                "envelopes_checked": report.envelopesChecked,
                "index_entries_checked": report.indexEntriesChecked,
                "head_position": report.head.position,
                "head_hash": report.head.hash.hex,
            ]
            if let problem = report.firstProblem {
                object["first_bad_position"] = problem.position
                object["reason"] = problem.reason
            }
            let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: bytes, as: UTF8.self))
        } else if let problem = report.firstProblem {
            print("FAILED: first bad position \(problem.position): \(problem.reason)")
            print("\(report.envelopesChecked) envelopes verified before it. Restore the data directory from a backup taken before that position.")
        } else {
            print("OK: \(report.envelopesChecked) envelopes and \(report.indexEntriesChecked) index entries verified; head \(report.head.position) \(report.head.hash.hex)")
        }
        if !report.isValid { throw ExitCode(1) }
    }
}
