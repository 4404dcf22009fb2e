import EventStore
import Foundation

/// Runs `ironlog arguments…` to the end in `directory`, standard output and error together.
func runIronlog(_ arguments: [String], in directory: URL) async throws -> (termination: ChildProcess.Termination, output: String) {
    let out = directory.appendingPathComponent("cli-\(UUID().uuidString).out").path
    let ended = try await ChildProcess(IronlogBinary.url().path, arguments, standardOutput: .file(out), standardError: .file(out)).wait()
    return (ended, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
}
