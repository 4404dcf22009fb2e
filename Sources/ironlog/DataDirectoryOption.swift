import ArgumentParser

/// `--data DIR`, shared by every command that reads a data directory.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The data directory.", valueName: "DIR"))
    var path: String = "./data"
}
