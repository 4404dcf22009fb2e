import Domain
import Drivers
import Foundation

extension IPMIConfiguration {
    /// Short waits for emulated BMCs on loopback: each ipmitool attempt gives up after ~2 s
    /// (`-N 1 -R 1`), transient failures are retried for 4 s, no spacing between commands.
    static let testing = IPMIConfiguration(
        commandRetryTimeout: .seconds(4), minCommandInterval: .zero, retransmitInterval: 1, commandTimeout: .seconds(20),
        powerStateChangeTimeout: .seconds(10), softPowerOffTimeout: .seconds(10), powerStatePollInterval: .milliseconds(100)
    )
}

/// The drivers under test, on one runner.
struct IPMIDrivers {
    let tool: IPMITool
    let power: IPMIPower
    let management: IPMIManagement

    init(_ configuration: IPMIConfiguration = .testing) {
        tool = IPMITool(configuration: configuration)
        power = IPMIPower(tool: tool)
        management = IPMIManagement(tool: tool)
    }

    /// A registry with the `ipmi` hardware type and these drivers.
    var registry: DriverRegistry {
        DriverRegistry(hardwareTypes: [.ipmi], implementations: [power, management, NoOpManagement(), StaticNetwork(name: "flat"),
                                                                 StaticNetwork(name: "noop"), StaticStorage()])
    }

    /// A task for an `ipmi` node with `driverInfo`, the node adjusted by `configure`.
    func task(_ driverInfo: JSONValue, _ configure: (inout Node) -> Void = { _ in }) throws -> DriverTask {
        var node = Node(uuid: UUID(), driver: "ipmi")
        node.driverInfo = driverInfo
        configure(&node)
        return DriverTask(node: node, driver: try registry.resolve(node))
    }
}

/// Runs `body`, which must throw a ``DriverError``, and returns that error.
func driverError(_ body: () async throws(DriverError) -> Void) async -> DriverError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
