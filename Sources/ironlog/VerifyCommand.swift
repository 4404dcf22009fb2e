import ArgumentParser
import EventStore
import Foundation

/// `ironlog verify`: walk the hash chain and every index; exit 1 naming the first bad position.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the log's hash chain and indexes; safe while the server runs.",
        discussion: """
            Exits 0 when the log verifies; exits 1 and names the first bad position otherwise. \
            With --deep it also rebuilds every projection from the log in a scratch copy of the \
            data directory and compares their digest with the live projections'; exits 1 if they differ.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Flag(help: "Also rebuild every projection in a scratch copy and compare it with the live projections.")
    var deep = false

    @Option(help: ArgumentHelp("Where --deep makes its copy (it needs about the data directory's size; removed afterwards).", valueName: "DIR"))
    var scratch: String = FileManager.default.temporaryDirectory.path

    func run() async throws {
        let store = try LMDBEventStore(directory: data.path, options: StoreOptions(readOnly: true))
        defer { store.close() }
        let progress = ProgressReporter("verifying")
        let report = try store.verify { done, total in progress.update(done, of: total) }
        progress.finish()
        var deepReport: DeepVerification.Report?
        if deep, report.isValid {
            let verification = DeepVerification(store: store, scratch: scratch + "/ironlog-verify-\(UUID().uuidString)")
            let phases = PhasedProgress()
            deepReport = try await verification.run { phase, done, total in phases.update(phase, done, of: total) }
            phases.finish()
        }
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
            if let deepReport {
                object["projections"] = [
                    "head_position": deepReport.head, "live_digest": deepReport.live, "rebuilt_digest": deepReport.rebuilt,
                    "identical": deepReport.isIdentical, "were_behind": deepReport.wasBehind,
                ] as [String: Any]
            }
            let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: bytes, as: UTF8.self))
        } else if let problem = report.firstProblem {
            print("FAILED: first bad position \(problem.position): \(problem.reason)")
            print("\(report.envelopesChecked) envelopes verified before it. Stop the server and restore the data directory from a backup: "
                + "ironlog restore BACKUP --data \(data.path) --force. Restore checks the backup's own chain first, so the newest backup "
                + "it accepts is the one to use (see docs/disaster-recovery.md, Corruption).")
        } else {
            print("OK: \(report.envelopesChecked) envelopes and \(report.indexEntriesChecked) index entries verified; head \(report.head.position) \(report.head.hash.hex)")
            if let deepReport {
                if deepReport.isIdentical {
                    print("OK: projections rebuilt from the log up to \(deepReport.head) match the live ones (digest \(deepReport.live))")
                } else {
                    print("FAILED: the projections differ from the log up to \(deepReport.head): live digest \(deepReport.live), rebuilt \(deepReport.rebuilt).")
                    print("The log is sound; stop the server and run `ironlog rebuild --data \(data.path)` to rebuild the projections from it.")
                }
            }
        }
        if !report.isValid || deepReport?.isIdentical == false { throw ExitCode(1) }
    }
}
