import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ironlog export`: the log as JSON lines, for an external audit system.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole log as JSON lines (secrets stay sealed); safe while the server runs.",
        discussion: """
            The first line names the format and the head; then one event per line, oldest first, \
            with its whole envelope (payload as base64) and hash, so `ironlog import` can rebuild the \
            log and check its hash chain. Node keys are not exported: secrets in payloads stay sealed.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() async throws {
        let store = try LMDBEventStore(directory: data.path, options: StoreOptions(readOnly: true))
        defer { store.close() }
        let target: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw ValidationError("Cannot create \(output); check the directory exists and is writable.")
            }
            target = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            target = FileHandle.standardOutput
        }
        let progress = ProgressReporter("exporting")
        var buffer = Data()
        let head = try LogExport.export(store, to: { line in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try target.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }, progress: { done, total in progress.update(done, of: total) })
        try target.write(contentsOf: buffer)
        progress.finish()
        if output != nil {
            try target.close()
            FileHandle.standardError.write(Data("exported \(head.position) events, head \(head.hash.hex)\n".utf8))
        }
    }
}

/// `ironlog import FILE --data DIR`: a new data directory built from an export.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a new data directory from an `ironlog export`, checking its hash chain.",
        discussion: """
            DIR must be new or empty. Every envelope is rebuilt and must chain from the one before; \
            the import stops at the first that does not, naming its line, and leaves nothing behind. \
            Then the projections are built from the log. Sealed secrets need the node keys: copy \
            the `keys/` directory of a backup of the same log into DIR to open them.
            """
    )

    @Argument(help: ArgumentHelp("The export (`-` for standard input).", valueName: "FILE"))
    var file: String

    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        let progress = ProgressReporter("importing")
        let lines: AnySequence<String>
        if file == "-" {
            lines = AnySequence(AnyIterator { readLine(strippingNewline: true) })
        } else {
            guard let reader = LineReader(path: file) else { throw ValidationError("Cannot read \(file).") }
            lines = AnySequence(reader)
        }
        let head = try await LogExport.importLog(lines, into: data.path) { done, total in progress.update(done, of: total) }
        progress.finish()
        let store = try LMDBEventStore(directory: data.path)
        defer { store.close() }
        let projections = try await ProjectionSet.open(in: store)
        let building = ProgressReporter("building projections")
        try await projections.catchUp { done, total in building.update(done, of: total) }
        building.finish()
        print("imported \(head.position) events into \(data.path); head \(head.hash.hex) matches the export")
    }
}
