import Engine
import EventStore
import Foundation
import Testing

/// Closing lets go of the data directory's resources, so a process that opens and closes many
/// conductors (the tests, a tool restoring backups) does not pile up open stores.
@Suite("Closing a conductor")
struct ConductorCloseTests {
    @Test("the store, its LMDB environment and its descriptors go once the conductor is closed and dropped")
    func storeReleased() async throws {
        weak var store: LMDBEventStore?
        weak var conductor: Conductor?
        let directory: String
        do {
            let fixture = try await ConductorFixture.start()
            directory = fixture.directory
            try await fixture.enroll(name: "released")
            store = fixture.conductor.store
            conductor = fixture.conductor
            #expect(openDescriptors(under: directory) > 0)
            fixture.stop()
        }
        // The reactor's and the periodic checks' tasks end on cancellation, shortly after.
        for _ in 0..<500 where store != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(conductor == nil)
        #expect(store == nil)
        #expect(openDescriptors(under: directory) == 0)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// How many of this process's descriptors are open on files under `directory`.
    private func openDescriptors(under directory: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.filter { entry in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"))?.hasPrefix(directory) ?? false
        }.count
    }
}
