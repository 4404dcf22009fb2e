import Foundation
import Testing

/// A named database of the log gone from `data.mdb`: the log itself, or one of its indexes.
@Suite("corruption: a missing sub-database", .serialized)
struct MissingDatabaseTests {
    @Test("verify and serve name the missing database and say to restore; serve does not create it empty",
          .timeLimit(.minutes(5)), arguments: ["log", "ids", "streams"])
    func missingDatabase(name: String) async throws {
        let fixture = try await CorruptionFixture.make(nodes: 5, named: "drop")
        defer { fixture.remove() }
        try RawLMDB.dropDatabase(named: name, in: fixture.data)

        let verified = try await fixture.run(["verify", "--data", fixture.data])
        #expect(verified.termination == .exit(1), "\(verified.output)")
        #expect(verified.output.contains("its \(name) database") && verified.output.contains("is missing"), "\(verified.output)")
        #expect(verified.output.contains("ironlog restore"), "\(verified.output)")

        let refusal = try await fixture.serveRefusal()
        #expect(refusal.contains("its \(name) database") && refusal.contains("ironlog restore"), "\(refusal)")
        let again = try await fixture.run(["verify", "--data", fixture.data])
        #expect(again.termination == .exit(1) && again.output.contains("its \(name) database"), "serve recreated it: \(again.output)")

        try await fixture.expectBackupRestoresEverything()
    }
}
