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
/// command, `sdk_resources.sh` every resource type through openstacksdk; each asserts every
/// result.
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
}
