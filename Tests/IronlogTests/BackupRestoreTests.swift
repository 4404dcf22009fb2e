import Domain
import Engine
import EventStore
import Foundation
import Projections
import Testing

/// `ironlog backup` while a conductor keeps appending, then `ironlog restore` on a fresh
/// directory: the restored fleet is the source's fleet as of the backup's head, and damaged or
/// misdirected restores are refused.
@Suite("ironlog backup and restore")
struct BackupRestoreTests {
    @Test("a backup taken under load restores, on a fresh directory, exactly the fleet as of its head")
    func backupUnderLoad() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-backup-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("data").path, backup = directory.appendingPathComponent("backup").path
        let restored = directory.appendingPathComponent("restored").path
        let conductor = try await Conductor.open(directory: source, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { conductor.close() }
        try conductor.start()
        for index in 0..<20 {
            let node = UUID()
            try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware", "name": .string("before-\(index)"),
                                                                            "driver_info": ["fake_password": .string("secret-\(index)")]]),
                                                node: node, metadata: EventMetadata(actor: "test"))
        }
        // Load: enrolls and power changes keep coming while the backup runs.
        let load = Task {
            var index = 0
            while !Task.isCancelled {
                let node = UUID()
                try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware", "name": .string("during-\(index)")]),
                                                    node: node, metadata: EventMetadata(actor: "load"))
                try await conductor.commands.handle(.requestPower(target: .off, timeout: nil), node: node, metadata: EventMetadata(actor: "load"))
                index += 1
            }
        }
        let backedUp = try await runIronlog(["backup", "--data", source, backup, "--json"], in: directory)
        load.cancel()
        _ = await load.result
        #expect(backedUp.termination == .exit(0), "\(backedUp.output)")
        let manifest = try BackupManifest.read(from: backup)
        #expect(manifest.headPosition >= 20)

        let restoring = try await runIronlog(["restore", backup, "--data", restored], in: directory)
        #expect(restoring.termination == .exit(0), "\(restoring.output)")

        let copy = try LMDBEventStore(directory: restored, options: StoreOptions(readOnly: true))
        defer { copy.close() }
        #expect(try copy.currentHead().position == manifest.headPosition)
        let tables = try await NodeTables.open(in: copy)
        let restoredFleet = try copy.read { try NodeStore.all(in: $0, tables: tables) }
        let expected = try AsOf.fleet(at: manifest.headPosition, in: conductor.store)
        #expect(restoredFleet.count == expected.count && restoredFleet.count >= 20)
        for aggregate in restoredFleet {
            #expect(aggregate == expected[aggregate.uuid], "node \(aggregate.uuid) differs from the source as of \(manifest.headPosition)")
        }
        // The node keys came along: the restored log's sealed secrets open.
        let keyring = try NodeKeyring(dataDirectory: restored)
        let first = try #require(restoredFleet.first { $0.node.name == "before-0" })
        #expect(try keyring.key(for: first.uuid) == conductor.keyring.key(for: first.uuid))
    }

    @Test("a damaged backup, a non-empty directory without --force, and a directory that is no backup are refused")
    func refusals() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-restore-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("data").path, backup = directory.appendingPathComponent("backup").path
        do {
            let conductor = try await Conductor.open(directory: source, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
            defer { conductor.close() }
            let node = UUID()
            try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware"]), node: node, metadata: EventMetadata(actor: "test"))
        }
        #expect(try await runIronlog(["backup", "--data", source, backup], in: directory).termination == .exit(0))

        let occupied = try await runIronlog(["restore", backup, "--data", source], in: directory)
        #expect(occupied.termination == .exit(1) && occupied.output.contains("is not empty"))
        let notBackup = try await runIronlog(["restore", source, "--data", directory.appendingPathComponent("fresh").path], in: directory)
        #expect(notBackup.termination == .exit(1) && notBackup.output.contains("is not an Ironlog backup"))

        let forced = try await runIronlog(["restore", backup, "--data", source, "--force"], in: directory)
        #expect(forced.termination == .exit(0), "\(forced.output)")
        #expect(forced.output.contains(".before-restore-"))

        let handle = try #require(FileHandle(forUpdatingAtPath: backup + "/data.mdb"))
        try handle.seek(toOffset: 4096 + 100)
        try handle.write(contentsOf: Data([0xFF, 0x00, 0xFF]))
        try handle.close()
        let damaged = try await runIronlog(["restore", backup, "--data", directory.appendingPathComponent("fresh").path], in: directory)
        #expect(damaged.termination == .exit(1) && damaged.output.contains("damaged"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("fresh").path))
    }
}

/// `ironlog restore --to` and `ironlog replay --dry-run`: the log up to a point, what follows kept.
@Suite("ironlog restore --to and replay")
struct PointInTimeTests {
    @Test("a restore up to a position rebuilds exactly the fleet of that point and archives every later event")
    func restoreToPosition() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-pit-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("data").path, backup = directory.appendingPathComponent("backup").path
        let target = directory.appendingPathComponent("restored").path
        let conductor = try await Conductor.open(directory: source, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { conductor.close() }
        try conductor.start()
        for index in 0..<6 {
            let node = UUID()
            try await conductor.commands.handle(.enroll(uuid: node, fields: ["driver": "fake-hardware", "name": .string("pit-\(index)")]),
                                                node: node, metadata: EventMetadata(actor: "test"))
            try await conductor.commands.handle(.requestPower(target: .off, timeout: nil), node: node, metadata: EventMetadata(actor: "test"))
        }
        try await conductor.settle()
        let head = try conductor.store.currentHead().position
        #expect(try await runIronlog(["backup", "--data", source, backup], in: directory).termination == .exit(0))
        let point = head / 2

        let replayed = try await runIronlog(["replay", "--data", source, "--to", String(point), "--dry-run", "--json"], in: directory)
        #expect(replayed.termination == .exit(0))
        let expected = try AsOf.fleet(at: point, in: conductor.store)
        #expect(replayed.output.split(separator: "\n").filter { $0.hasPrefix("{") }.count == expected.count)

        let restoring = try await runIronlog(["restore", backup, "--data", target, "--to", String(point)], in: directory)
        #expect(restoring.termination == .exit(0), "\(restoring.output)")
        let restored = try LMDBEventStore(directory: target, options: StoreOptions(readOnly: true))
        defer { restored.close() }
        #expect(try restored.currentHead() == LogHead(position: point, hash: try #require(try conductor.store.event(at: point)).hash,
                                                      recordedAtMicroseconds: try #require(try conductor.store.event(at: point)).recordedAtMicroseconds))
        let tables = try await NodeTables.open(in: restored)
        let fleet = try restored.read { try NodeStore.all(in: $0, tables: tables) }
        #expect(Dictionary(uniqueKeysWithValues: fleet.map { ($0.uuid, $0) }) == expected)
        let archive = try String(contentsOfFile: target + "/archive/events-after-\(point).jsonl", encoding: .utf8).split(separator: "\n")
        #expect(archive.count == 1 + Int(head - point), "a header, then every event after the point")
        #expect(archive.last?.contains(#""position":\#(head)"#) == true)

        let dryRunMissing = try await runIronlog(["replay", "--data", source, "--to", "1"], in: directory)
        #expect(dryRunMissing.termination != .exit(0) && dryRunMissing.output.contains("ironlog restore BACKUP"))
        let beyond = try await runIronlog(["restore", backup, "--data", directory.appendingPathComponent("beyond").path, "--to", String(head + 5)], in: directory)
        #expect(beyond.termination == .exit(1) && beyond.output.contains("use a later backup"))
    }
}
