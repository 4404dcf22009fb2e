import Domain
import Foundation

/// What an interface is given to act on one node: the node (its secrets unsealed), its ports,
/// the node's other interfaces, and the clock.
public struct DriverTask: Sendable {
    /// The node's hardware type and the interface of each kind it uses.
    public let driver: ResolvedDriver
    /// The node, with `driver_info` and `instance_info` secrets readable.
    public let node: Node
    /// The node's ports.
    public let ports: [Domain.Port]
    /// The node's volume targets and connectors, for the storage interface.
    public let volumeTargets: [VolumeTarget]
    public let volumeConnectors: [VolumeConnector]
    /// The time the interface runs on (delays, BMC timeouts).
    public let clock: any EngineClock
    /// For the `switch` network interface: the networks, switches and bindings the engine knows,
    /// and where confirmed switch port moves are recorded.
    public var switching: SwitchNetworking?

    public init(node: Node, driver: ResolvedDriver, ports: [Domain.Port] = [], volumeTargets: [VolumeTarget] = [],
                volumeConnectors: [VolumeConnector] = [], clock: any EngineClock = SystemClock(), switching: SwitchNetworking? = nil) {
        self.switching = switching
        self.node = node
        self.driver = driver
        self.ports = ports
        self.volumeTargets = volumeTargets
        self.volumeConnectors = volumeConnectors
        self.clock = clock
    }

    /// A string field of `driver_info`.
    public func info(_ key: String) -> String? {
        switch node.driverInfo[key] {
        case .string(let text)?: text
        case .number(let number)?: number.rounded() == number ? String(Int64(number)) : String(number)
        case .bool(let flag)?: String(flag)
        default: nil
        }
    }
}

/// Why an interface could not do what it was asked: the message becomes the node's `last_error`.
public struct DriverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, in words an operator can act on.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// `driver_info` lacks required keys.
    public static func missingInfo(_ keys: [String], interface: String) -> DriverError {
        DriverError("Some parameters were missing in node's driver_info. Missing are: \(keys.sorted().joined(separator: ", ")) (\(interface) interface)")
    }
}

/// A `driver_info` key an interface reads.
public struct DriverProperty: Sendable, Hashable {
    public let name: String
    public let description: String
    public let required: Bool

    public init(_ name: String, _ description: String, required: Bool = false) {
        self.name = name
        self.description = description
        self.required = required
    }
}
