import Domain

/// A management interface that programs a node's storage adapter out of band: told a volume
/// target (a Fibre Channel WWPN and LUN), the BMC sets the node's HBA to attach — and, for the
/// boot volume, boot — it, so no network boot loader is involved.
///
/// The `external` storage interface hands it each Fibre Channel target on attach and takes them
/// back on detach. A management interface that does not conform cannot boot a node from Fibre
/// Channel; validation says so.
public protocol VolumeTargetProgramming: ManagementInterface {
    /// Programs the node's adapter with `target`, using the node's `connectors` (its WWNN/WWPN).
    func programVolumeTarget(_ task: DriverTask, _ target: VolumeTarget) async throws(DriverError)
    /// Removes `target` from the node's adapter; nothing if it is not there.
    func clearVolumeTarget(_ task: DriverTask, _ target: VolumeTarget) async throws(DriverError)
}
