import Foundation
import Testing

/// `data.mdb` cut short, as a copy interrupted by a full disk or a failed transfer leaves it.
@Suite("corruption: a truncated data file", .serialized)
struct TruncatedFileTests {
    @Test("cut before the log's last page: verify and serve stop with where the file ends and what to do, not a crash",
          .timeLimit(.minutes(5)))
    func cutBeforeLastEnvelope() async throws {
        let fixture = try await CorruptionFixture.make(nodes: 12, named: "cut")
        defer { fixture.remove() }
        let last = try #require(try RawLMDB.envelope(at: fixture.manifest.headPosition, in: fixture.data))
        // At the start of the (OS and LMDB) page holding it: the whole page is past the end.
        let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        let length = last.fileOffset / pageSize * pageSize
        #expect(truncate(fixture.data + "/data.mdb", off_t(length)) == 0)

        let verified = try await fixture.run(["verify", "--data", fixture.data])
        #expect(verified.termination == .exit(1), "\(verified.output)")
        #expect(verified.output.contains("data.mdb is truncated") && verified.output.contains("it is \(length) bytes"), "\(verified.output)")
        #expect(verified.output.contains("ironlog restore"), "\(verified.output)")

        let refusal = try await fixture.serveRefusal()
        #expect(refusal.contains("data.mdb is truncated") && refusal.contains("ironlog restore"), "\(refusal)")

        try await fixture.expectBackupRestoresEverything()
    }

    @Test("cut inside LMDB's meta pages, or to nothing: refused at open, never taken for a new, empty log",
          .timeLimit(.minutes(5)), arguments: [5000, 0])
    func cutInsideMetaPages(length: Int) async throws {
        let fixture = try await CorruptionFixture.make(nodes: 3, named: "meta")
        defer { fixture.remove() }
        #expect(truncate(fixture.data + "/data.mdb", off_t(length)) == 0)

        let verified = try await fixture.run(["verify", "--data", fixture.data])
        #expect(verified.termination == .exit(1), "\(verified.output)")
        #expect(verified.output.contains("data.mdb is truncated: it is \(length) bytes"), "\(verified.output)")
        #expect(verified.output.contains("ironlog restore"), "\(verified.output)")

        let refusal = try await fixture.serveRefusal()
        #expect(refusal.contains("data.mdb is truncated: it is \(length) bytes"), "\(refusal)")
        let size = try FileManager.default.attributesOfItem(atPath: fixture.data + "/data.mdb")[.size] as? NSNumber
        #expect(size?.intValue == length, "serve wrote over the damaged file")

        try await fixture.expectBackupRestoresEverything()
    }
}
