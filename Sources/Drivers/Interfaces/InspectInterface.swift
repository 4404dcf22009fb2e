import Domain

/// What an inspection found.
public enum InspectionOutcome: Sendable, Hashable {
    /// The hardware inventory and the node properties it implies (`cpus`, `memory_mb`, `local_gb`, `cpu_arch`).
    case found(inventory: JSONValue, properties: JSONValue)
    /// Inspection goes on in a ramdisk; the node waits in `inspect wait`.
    case wait
}

/// Discovers a node's hardware (Ironic's `InspectInterface`).
public protocol InspectInterface: HardwareInterface {
    func inspectHardware(_ task: DriverTask) async throws(DriverError) -> InspectionOutcome
}

extension InspectInterface {
    public var kind: HardwareInterfaceKind { .inspect }
}
