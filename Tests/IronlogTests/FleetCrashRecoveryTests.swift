import Domain
import Drivers
import EventStore
import Foundation
import Projections
import Testing

@Suite("Crash recovery: a fleet being deployed is killed again and again")
struct FleetCrashRecoveryTests {
    static let nodes = 100
    static let kills = 12

    @Test("12 SIGKILLs while 100 fake nodes deploy: every node ends active or failed with a reason, no unsafe action repeats, the log verifies")
    func killedFleetRecovers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-fleet-crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = directory + "/fake-actions.log"
        let binary = try IronlogBinary.url()
        var generator = SplitMix64(seed: 20_261_125)
        var exits: [ChildProcess.Termination] = []
        for _ in 0..<Self.kills {
            // Killed after a random number of hardware actions (about 2,600 take the fleet to
            // active): the kills land all through enrolling, verifying, cleaning and deploying.
            let actions = Int.random(in: 20...180, using: &generator)
            exits.append(try await onOwnThread { try Self.runChild(binary, directory, journal, killAfterActions: actions) })
        }
        #expect(exits == Array(repeating: .signal(SIGKILL), count: Self.kills), "every trial was killed mid-way")
        // The last run is left to finish: recovery, then the fleet driven to the end.
        let finalStatus = try await onOwnThread { try Self.runChild(binary, directory, journal, killAfterActions: nil) }
        #expect(finalStatus == .exit(0))

        let store = try LMDBEventStore(directory: directory + "/data")
        defer { store.close() }
        #expect(try store.verify().isValid)
        let projections = try await ProjectionSet.open(in: store)
        let tables = projections.nodes.tables
        let fleet = try store.read { txn in try NodeStore.all(in: txn, tables: tables) }
        #expect(fleet.count == Self.nodes)
        for aggregate in fleet {
            let node = aggregate.node
            let settled = node.provisionState == .active || (ProvisionState.failure.contains(node.provisionState) || node.provisionState == .error) && node.lastError != nil
                || node.provisionState == .enroll && node.lastError != nil
            #expect(settled, "node \(node.uuid.lowercased) ended in \(node.provisionState.rawValue) (last_error: \(node.lastError ?? "none"))")
            #expect(node.targetPowerState == nil, "node \(node.uuid.lowercased) still has a pending power action")
        }
        #expect(fleet.filter { $0.node.provisionState == .active }.count > 0)

        // Booting an instance is not safe to repeat: it ran at most once per node.
        let actions = try FileActionJournal.entries(at: journal)
        let boots = Dictionary(grouping: actions.filter { $0.action == "deploy.boot_instance" }, by: \.node).mapValues(\.count)
        for (node, count) in boots { #expect(count == 1, "boot_instance ran \(count) times on node \(node)") }
        // Every active node booted its instance exactly once.
        for aggregate in fleet where aggregate.node.provisionState == .active {
            #expect(boots[aggregate.node.uuid.lowercased] == 1)
        }
    }

    /// Runs the fleet child on `directory/data`, killing it once it has noted `killAfterActions`
    /// more hardware actions in the journal, if set; returns how it ended.
    static func runChild(_ binary: URL, _ directory: String, _ journal: String, killAfterActions: Int?) throws -> ChildProcess.Termination {
        func journalLines() -> Int {
            guard let data = FileManager.default.contents(atPath: journal) else { return 0 }
            return data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
        let before = journalLines()
        let child = try ChildProcess(binary.path, ["bench", "fleet-child", "--data", directory + "/data", "--nodes", String(nodes),
                                                   "--journal", journal, "--delay", "0.002"])
        if let killAfterActions {
            while child.isRunning, journalLines() - before < killAfterActions { usleep(1_000) }
            child.send(SIGKILL)
        }
        return child.waitBlocking()
    }
}
