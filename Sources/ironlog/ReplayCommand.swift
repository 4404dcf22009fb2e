import ArgumentParser
import Domain
import EventStore
import Foundation
import Projections

/// `ironlog replay --to POINT --dry-run`: the fleet as the log says it stood at a point, folded
/// from the log without touching anything.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Show the fleet as it stood at a position or time, folded from the log (read-only).",
        discussion: """
            Safe while the server runs. To bring a data directory back to that point, take a \\
            backup and restore it with `ironlog restore BACKUP --data DIR --to POINT`.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    @Option(help: ArgumentHelp("The position or time (ISO 8601, or a UTC day) to replay the log up to.", valueName: "POSITION|TIME"))
    var to: LogPoint

    @Flag(name: .customLong("dry-run"), help: "Change nothing: print the fleet at that point (required).")
    var dryRun = false

    @Flag(help: "Print one JSON object per node (the node documents as of that point).")
    var json = false

    func validate() throws {
        guard dryRun else {
            throw ValidationError("replay only shows (--dry-run). To roll a data directory back, take a backup and run `ironlog restore BACKUP --data DIR --to POINT`.")
        }
    }

    func run() async throws {
        let store = try LMDBEventStore(directory: data.path, options: StoreOptions(readOnly: true))
        defer { store.close() }
        let position: UInt64 = switch to.restorePoint {
        case .position(let position): min(position, try store.currentHead().position)
        case .time(let time): try AsOf.position(atTime: time, in: store)
        }
        let progress = ProgressReporter("replaying")
        let folded = try AsOf.fleet(at: position, in: store) { done, total in progress.update(done, of: total) }
        progress.finish()
        let fleet = folded.values.sorted { ($0.node.name ?? "", $0.uuid.uuidString) < ($1.node.name ?? "", $1.uuid.uuidString) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for aggregate in fleet { print(String(decoding: try encoder.encode(aggregate.node), as: UTF8.self)) }
            return
        }
        let time = try store.event(at: position).map { ISO8601DateFormatter().string(from: $0.recordedAt) } ?? "the beginning"
        print("the fleet at position \(position) (\(time)): \(fleet.count) nodes")
        let rows = [["UUID", "NAME", "PROVISION STATE", "POWER", "MAINTENANCE", "LAST ERROR"]] + fleet.map { aggregate in
            let node = aggregate.node
            return [node.uuid.uuidString.lowercased(), node.name ?? "", node.provisionState.rawValue, node.powerState?.rawValue ?? "None",
                    node.maintenance ? "yes" : "no", node.lastError ?? ""]
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.indices.map { $0 == row.count - 1 ? row[$0] : row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
    }
}
