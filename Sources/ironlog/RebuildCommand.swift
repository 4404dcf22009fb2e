import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ironlog rebuild`: throw every projection away and fold the whole log into them again.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild every projection from position 1 of the log (stop the server first).",
        discussion: """
            Prints the digest of the projections before and after. Identical digests prove that the \
            live projections were exactly what the log says; a difference means they had drifted \
            and the rebuild has repaired them. Exits 0 either way, 1 on error.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        let store = try LMDBEventStore(directory: data.path)
        defer { store.close() }
        let projections = try await ProjectionSet.open(in: store)
        let head = try store.currentHead().position
        let before = try ProjectionDigest.compute(projections)
        let caughtUp = try projections.checkpoint() >= head
        print("log head: \(head)")
        print("digest before: \(before)\(caughtUp ? "" : " (projections were behind the log)")")
        let progress = ProgressReporter("rebuilding")
        let clock = ContinuousClock()
        let started = clock.now
        try await ProjectionRebuild.rebuild(projections) { done, total in progress.update(done, of: total) }
        progress.finish()
        let seconds = (clock.now - started).seconds
        print(String(format: "rebuilt %llu events in %.2f s (%.0f events/s)", head, seconds, seconds > 0 ? Double(head) / seconds : 0))
        let digestStarted = clock.now
        let after = try ProjectionDigest.compute(projections)
        print(String(format: "digest after:  %@ (computed in %.2f s)", after, (clock.now - digestStarted).seconds))
        print(before == after ? "identical: the projections matched the log" : "different: the projections had drifted from the log and are now rebuilt")
    }
}
