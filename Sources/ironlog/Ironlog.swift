import ArgumentParser

/// The `ironlog` executable: the server and the operator's tools over a data directory.
@main
struct Ironlog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ironlog",
        abstract: "A bare-metal provisioning engine, event-sourced, speaking Ironic's REST API v1.",
        subcommands: [ServeCommand.self, HistoryCommand.self, VerifyCommand.self, BackupCommand.self, RestoreCommand.self, ExportCommand.self, ImportCommand.self, ReplayCommand.self, RebuildCommand.self, BenchCommand.self]
    )
}
