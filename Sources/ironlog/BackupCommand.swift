import ArgumentParser
import Engine
import EventStore
import Foundation

/// `ironlog backup DEST`: a hot, compacted copy of a data directory, with a manifest.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a data directory while the server runs: the log, the node keys, a manifest.",
        discussion: """
            DEST must be new or empty. The copy is a consistent snapshot of the log (compacted), the \
            node keys that open its sealed secrets, and ironlog-backup.json with the head position, \
            the head hash and checksums. It holds the node keys: keep it as safe as the data \
            directory. Bring it back with `ironlog restore DEST --data DIR`.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    @Argument(help: ArgumentHelp("Where to write the backup (a new or empty directory).", valueName: "DEST"))
    var destination: String

    @Flag(help: "Print the manifest as JSON.")
    var json = false

    func run() async throws {
        let store = try LMDBEventStore(directory: data.path, options: StoreOptions(readOnly: true))
        defer { store.close() }
        let clock = ContinuousClock()
        let started = clock.now
        let manifest = try DataDirectoryBackup.backup(store, dataDirectory: data.path, to: destination) { step in
            FileHandle.standardError.write(Data("backup: \(step)\n".utf8))
        }
        let seconds = (clock.now - started).seconds
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(manifest), as: UTF8.self))
        } else {
            print(String(format: "backed up %@ to %@ in %.2f s: head %llu %@, %d bytes of log, %d node keys",
                         data.path, destination, seconds, manifest.headPosition, manifest.headHash, manifest.dataBytes, manifest.keys.count))
        }
    }
}

/// `ironlog restore SRC --data DIR`: a backup brought back as a data directory.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a data directory (stop the server on it first).",
        discussion: """
            Checks the backup's checksums and its log's hash chain up to the manifest's head, then \
            rebuilds every projection from the log. Refuses a non-empty data directory unless \
            --force, which keeps the old one aside as DIR.before-restore-TIME. With --to, only the \
            log up to that position or time is restored; the events after it are archived in \
            DIR/archive/events-after-POSITION.jsonl, never dropped.
            """
    )

    @Argument(help: ArgumentHelp("The backup directory `ironlog backup` wrote.", valueName: "SRC"))
    var source: String

    @OptionGroup var data: DataDirectoryOption

    @Flag(help: "Replace a non-empty data directory (it is moved aside, not deleted).")
    var force = false

    @Option(help: ArgumentHelp("Restore the log only up to this position or time (ISO 8601, or a UTC day).", valueName: "POSITION|TIME"))
    var to: LogPoint?

    func run() async throws {
        let phases = PhasedProgress()
        let clock = ContinuousClock()
        let started = clock.now
        let restored = try await DataDirectoryBackup.restore(from: source, to: data.path, force: force, upTo: to?.restorePoint) { phase, done, total in
            phases.update(phase, done, of: total)
        }
        phases.finish()
        print(String(format: "restored %@ into %@ in %.2f s: head %llu %@, projections rebuilt",
                     source, data.path, (clock.now - started).seconds, restored.head.position, restored.head.hash.hex))
        if let archive = restored.archive {
            print("the \(archive.events) events after position \(restored.head.position) are archived in \(archive.path)")
        }
        if let aside = restored.setAside { print("the data directory it replaced is kept at \(aside); delete it once the restore is checked") }
    }
}

/// A point in the log given on the command line: a position, or a time (ISO 8601 or a UTC day).
struct LogPoint: ExpressibleByArgument {
    let restorePoint: DataDirectoryBackup.RestorePoint

    init?(argument: String) {
        if let position = UInt64(argument) {
            restorePoint = .position(position)
        } else if let time = HistoryTime(argument: argument) {
            restorePoint = .time(time.microseconds)
        } else {
            return nil
        }
    }
}
