import Domain

/// Attaches a node's volume targets (Ironic's `StorageInterface`).
///
/// The deploy attaches them before the instance's boot is prepared, and the tear-down (and a
/// failed deploy) detaches them; the engine records each target it attached or detached as an
/// event on the node's stream (``attachedTargets(_:)`` says which).
public protocol StorageInterface: HardwareInterface {
    func attachVolumes(_ task: DriverTask) async throws(DriverError)
    func detachVolumes(_ task: DriverTask) async throws(DriverError)
    /// Whether deploy writes an image (not when the node boots from a volume).
    func shouldWriteImage(_ task: DriverTask) -> Bool
    /// The targets ``attachVolumes(_:)`` attaches: by default every target of the node; none for
    /// an interface that ignores volumes (`noop`).
    func attachedTargets(_ task: DriverTask) -> [VolumeTarget]
}

extension StorageInterface {
    public var kind: HardwareInterfaceKind { .storage }

    public func attachedTargets(_ task: DriverTask) -> [VolumeTarget] { task.volumeTargets }
}
