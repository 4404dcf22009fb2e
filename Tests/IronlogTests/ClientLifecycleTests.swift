import Engine
import EventStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenStack's own clients against `ironlog serve`, each test on a server of its own:
/// `tools/clients/lifecycle.sh` drives a node's whole life with python-ironicclient's `baremetal`
/// command, `sdk_resources.sh` every resource type through openstacksdk, and `metalsmith.sh` a
/// deploy and undeploy with metalsmith, the image served over HTTP on the loopback; each asserts
/// every result.
///
/// Needs `python3`; the first run creates the clients' virtualenv with pip (network), later runs
/// reuse it from `~/.cache/ironlog/clients-venv`. Serialized, so one test at a time may complete it.
@Suite("OpenStack clients against ironlog serve", .serialized)
struct ClientLifecycleTests {
    @Test("baremetal: create, port, manage, provide, deploy, power, maintenance, boot device, traits, undeploy, delete",
          .enabled(if: ClientScriptRun.hasPython), .timeLimit(.minutes(10)))
    func lifecycle() async throws {
        try await ClientScriptRun.withServer { run in
            try await run.script("lifecycle.sh", [run.endpoint], success: "every step passed")
        }
    }

    @Test("openstacksdk: every resource type through create, get, list with filters and fields, update, delete, and its errors",
          .enabled(if: ClientScriptRun.hasPython), .timeLimit(.minutes(10)))
    func sdkResources() async throws {
        try await ClientScriptRun.withServer { run in
            try await run.script("sdk_resources.sh", [run.endpoint], success: "every openstacksdk resource step passed")
        }
    }

    @Test("openstacksdk: runbooks and inspection rules through create, get, list with filters and fields, update, delete; a runbook clean; rules on inspection",
          .enabled(if: ClientScriptRun.hasPython), .timeLimit(.minutes(10)))
    func runbooksAndInspectionRules() async throws {
        try await ClientScriptRun.withServer { run in
            let root = try RawHTTP.get("/", port: run.port)
            #expect(String(decoding: root.body, as: UTF8.self).contains("1.115"), "runbook traits need microversion 1.112")
            try await run.script("runbooks_rules.sh", [run.endpoint], success: "every step passed")
        }
    }

    @Test("metalsmith: deploy by resource class and trait with an image over HTTP, show, list, undeploy through cleaning",
          .enabled(if: ClientScriptRun.hasPython), .timeLimit(.minutes(10)))
    func metalsmith() async throws {
        try await ClientScriptRun.withServer { run in
            let images = run.directory.appendingPathComponent("images", isDirectory: true)
            try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
            try Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: images.appendingPathComponent("image.qcow2"))
            let port = try LoopbackPort.free()
            let log = run.directory.appendingPathComponent("http.log").path
            let http = try ChildProcess("python3", ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", images.path],
                                        standardOutput: .file(log), standardError: .file(log))
            defer {
                http.send(SIGKILL)
                _ = http.waitBlocking()
            }
            try await ClientScriptRun.waitUntilAnswering(port: port, while: { http.isRunning }, what: "python3 -m http.server",
                                                         log: { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" })
            try await run.script("metalsmith.sh", [run.endpoint, "http://127.0.0.1:\(port)/image.qcow2"], success: "every metalsmith step passed")
            await http.stop()
        }
    }
}
