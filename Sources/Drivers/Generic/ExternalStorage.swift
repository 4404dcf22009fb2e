import Domain

/// The `external` storage interface (Ironic's `ExternalStorage`): the operator's storage
/// attaches the volumes and the operator gives their connection in each volume target's
/// `properties`; Ironlog only decides whether the node boots from one.
///
/// A node boots from a volume when it has a target with `boot_index` 0 and no
/// `instance_info.image_source` to write. Only iPXE can then boot it (`sanhook`/`sanboot`).
public struct ExternalStorage: StorageInterface {
    public let name = "external"

    public init() {}

    /// A node booting from a volume needs the `ipxe` boot interface.
    public func validate(_ task: DriverTask) throws(DriverError) {
        guard !shouldWriteImage(task) else { return }
        guard task.driver.boot?.name == "ipxe" else {
            throw DriverError("Node \(task.node.uuid.lowercased) boots from a volume, which the 'external' storage interface "
                + "supports only with the ipxe boot interface; its boot interface is \(task.driver.boot?.name ?? "not set")")
        }
    }

    /// Nothing to do: the volumes are the operator's to attach.
    public func attachVolumes(_ task: DriverTask) async throws(DriverError) {}

    /// Nothing to do: the volumes are the operator's to detach.
    public func detachVolumes(_ task: DriverTask) async throws(DriverError) {}

    /// No image is written when the node boots from a volume.
    public func shouldWriteImage(_ task: DriverTask) -> Bool {
        guard task.node.instanceInfo["image_source"] == nil else { return true }
        return !task.volumeTargets.contains { $0.bootIndex == 0 }
    }
}
