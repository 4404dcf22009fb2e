import EventStore
import Foundation

/// An Open vSwitch database of the test's own: `ovsdb-server` on a unix socket in a temporary
/// directory, over a database `ovsdb-tool` created from the installed schema, with one bridge
/// and one port per node NIC. No `ovs-vswitchd` and no kernel datapath: `ovs-vsctl --no-wait`
/// changes the database only, which is all the `switch` network interface touches.
final class OVSSandbox: Sendable {
    /// Where the database, socket and log live.
    let directory: String
    /// The bridge holding the ports.
    let bridge: String
    private let server: ChildProcess

    /// The schema Debian's `openvswitch-common` installs.
    static let schema = "/usr/share/openvswitch/vswitch.ovsschema"

    /// The OVSDB address a switch record names.
    var ovsdb: String { "unix:\(directory)/db.sock" }

    private init(directory: String, bridge: String, server: ChildProcess) {
        self.directory = directory
        self.bridge = bridge
        self.server = server
    }

    /// Starts `ovsdb-server` on a fresh database with `bridge` holding `ports`.
    static func start(bridge: String = "br-nodes", ports: [String]) async throws -> OVSSandbox {
        // Short: a unix socket path must fit in 108 bytes.
        let directory = "/tmp/ironlog-ovs-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let created = try await run("ovsdb-tool", ["create", "\(directory)/conf.db", schema])
        guard created.status == 0 else { throw SandboxFailure("ovsdb-tool create failed: \(created.error)") }
        let server = try ChildProcess("ovsdb-server", [
            "\(directory)/conf.db", "--remote=punix:\(directory)/db.sock", "--unixctl=\(directory)/ovsdb-server.ctl",
            "--no-chdir", "--log-file=\(directory)/ovsdb-server.log",
        ])
        let sandbox = OVSSandbox(directory: directory, bridge: bridge, server: server)
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while !FileManager.default.fileExists(atPath: "\(directory)/db.sock") {
            guard ContinuousClock.now < deadline, server.isRunning else {
                await sandbox.stop()
                throw SandboxFailure("ovsdb-server did not open its socket in \(directory)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The socket file appears when ovsdb-server binds it, a moment before it listens: the
        // first command is retried while the connection is refused.
        while true {
            do {
                _ = try await sandbox.vsctl(["init", "--", "add-br", bridge] + ports.flatMap { ["--", "add-port", bridge, $0] })
                return sandbox
            } catch let failure as SandboxFailure where failure.description.contains("Connection refused") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                await sandbox.stop()
                sandbox.remove()
                throw error
            }
        }
    }

    /// Runs `ovs-vsctl` on this database; throws if it fails.
    @discardableResult
    func vsctl(_ arguments: [String]) async throws -> String {
        let outcome = try await Self.run("ovs-vsctl", ["--db=\(ovsdb)", "--no-wait", "--timeout=5"] + arguments)
        guard outcome.status == 0 else { throw SandboxFailure("ovs-vsctl \(arguments.joined(separator: " ")) failed: \(outcome.error)") }
        return outcome.output
    }

    /// The port's access VLAN as `ovs-vsctl get port P tag` reads it back; `nil` for none.
    func tag(_ port: String) async throws -> Int? {
        Int(try await vsctl(["get", "port", port, "tag"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Stops `ovsdb-server` (the switch becomes unreachable); the directory stays until `remove`.
    func stop() async { await server.stop(grace: .seconds(2)) }

    /// Removes the directory (after `stop`).
    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    private static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-ovs-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err") }
        let status = try await ChildProcess(executable, arguments, standardOutput: .file(base + ".out"), standardError: .file(base + ".err")).wait().status
        return (status, (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "", (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }
}

/// Why the sandbox could not do what a test asked.
struct SandboxFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
