import Domain
import Drivers
import Foundation
import Testing

/// Why a test's helper process or server could not be used.
struct SupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The repository's root (where Package.swift is).
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url.deleteLastPathComponent()
    }
    return url
}()

/// Short timeouts and retries, so failures show quickly; generous enough for a loaded machine.
let testConfiguration = RedfishConfiguration(
    connectionAttempts: 3, connectionRetryInterval: .milliseconds(100), retryBackoff: 2, requestTimeout: .seconds(30),
    powerStateChangeTimeout: .seconds(30), softPowerOffTimeout: .seconds(30), powerStatePollInterval: .milliseconds(100)
)

// MARK: Nodes and tasks

/// The Redfish interfaces with the test configuration, in a registry of the `redfish` type.
let redfishRegistry = DriverRegistry(hardwareTypes: [.redfish], implementations: [
    RedfishPower(configuration: testConfiguration), RedfishManagement(configuration: testConfiguration),
    RedfishInspect(configuration: testConfiguration), RedfishVirtualMediaBoot(configuration: testConfiguration),
    RedfishBIOS(configuration: testConfiguration),
])

/// A driver task for a `redfish` node with `driverInfo`, on the system clock.
func redfishTask(_ driverInfo: [String: JSONValue], instanceInfo: JSONValue = .emptyObject,
                 boot: String? = nil) throws -> DriverTask {
    var node = Node(uuid: UUID(), driver: "redfish")
    node.driverInfo = .object(driverInfo)
    node.instanceInfo = instanceInfo
    if let boot { node.interfaces[.boot] = boot }
    return DriverTask(node: node, driver: try redfishRegistry.resolve(node), clock: SystemClock())
}

/// The DriverError `body` throws, or a test failure if it throws none.
func driverError(_ body: () async throws(DriverError) -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> DriverError? {
    do {
        try await body()
        Issue.record("expected a DriverError, got none", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
