import Domain

/// Attaches a node's volume targets (Ironic's `StorageInterface`).
public protocol StorageInterface: HardwareInterface {
    func attachVolumes(_ task: DriverTask) async throws(DriverError)
    func detachVolumes(_ task: DriverTask) async throws(DriverError)
    /// Whether deploy writes an image (not when the node boots from a volume).
    func shouldWriteImage(_ task: DriverTask) -> Bool
}

extension StorageInterface {
    public var kind: HardwareInterfaceKind { .storage }
}
