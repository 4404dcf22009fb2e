import Foundation
import Testing

/// `ironlog bench recovery` on a small log: it restarts a real server, backs up and restores, and
/// reports every figure (the figures themselves are for the benchmark, not for tests).
@Suite("ironlog bench recovery")
struct RecoveryBenchTests {
    @Test("a small run reports the first answer after each restart, the backup and the restore")
    func smallRun() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-bench-recovery-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await runIronlog(["bench", "recovery", "--events", "3000", "--nodes", "30", "--restarts", "2", "--json",
                                        "--work-directory", directory.path], in: directory)
        #expect(run.termination == .exit(0), "\(run.output)")
        let line = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("{") })
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(report["events"] as? Int == 3000 && report["nodes"] as? Int == 30)
        #expect((report["first_request_s"] as? [Double])?.count == 2)
        for key in ["first_request_median_s", "backup_s", "restore_s"] { #expect((report[key] as? Double ?? -1) > 0, "\(key)") }
        #expect((report["backup_bytes"] as? Int ?? 0) > 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("ironlog-bench-recovery-") }
        #expect(left.isEmpty, "the scratch directories are removed")
    }
}
