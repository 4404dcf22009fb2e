import Foundation
import Testing

/// One byte of a recorded event changed on disk, in place, as a failing disk or a stray write
/// would change it.
@Suite("corruption: a flipped byte in a recorded event", .serialized)
struct FlippedByteTests {
    @Test("verify names the event's position and says to restore; serve refuses; the backup restores every event",
          .timeLimit(.minutes(5)))
    func flippedByte() async throws {
        let fixture = try await CorruptionFixture.make(nodes: 12, named: "flip")
        defer { fixture.remove() }
        // The enroll event of node flip-7, found in the live page of the log that holds it.
        let target = try #require(try RawLMDB.envelope(containing: Array("flip-7\"".utf8), in: fixture.data))
        let file = try #require(FileHandle(forUpdatingAtPath: fixture.data + "/data.mdb"))
        try file.seek(toOffset: target.fileOffset)
        let original = try #require(try file.read(upToCount: 1)?.first)
        #expect(original == UInt8(ascii: "f"))
        try file.seek(toOffset: target.fileOffset)
        try file.write(contentsOf: [original ^ 0x20])  // "flip-7" becomes "Flip-7": still a well-formed event
        try file.close()

        let verified = try await fixture.run(["verify", "--data", fixture.data])
        #expect(verified.termination == .exit(1), "\(verified.output)")
        #expect(verified.output.contains("first bad position \(target.position):"), "\(verified.output)")
        #expect(verified.output.contains("ironlog restore"), "\(verified.output)")

        let refusal = try await fixture.serveRefusal()
        #expect(refusal.contains("position \(target.position)") && refusal.contains("ironlog restore"), "\(refusal)")

        try await fixture.expectBackupRestoresEverything()
    }
}
