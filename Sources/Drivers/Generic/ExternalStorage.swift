import Domain

/// The `external` storage interface (Ironic's `ExternalStorage`): the operator's storage
/// exports the volumes and the operator gives their connection in each volume target's
/// `properties`; Ironlog decides whether the node boots from one and gets the node to them.
///
/// A node boots from a volume when it has a target with `boot_index` 0 and no
/// `instance_info.image_source` to write: the deploy then writes no image.
///
/// - **iSCSI** targets are attached in band: iPXE `sanhook`s them at boot (the `ipxe` boot
///   interface renders the script), with the node's `iqn` connector as initiator name.
/// - **Fibre Channel** targets are attached out of band: the node's management interface
///   programs the node's HBA with each target (``VolumeTargetProgramming``); a management
///   interface that cannot is refused at validation.
///
/// Validation follows the rules of Ironic's `cinder` interface, which `external` in Ironic
/// leaves to the operator: every target is `iscsi` or `fibre_channel`; iSCSI needs an `iqn`
/// connector and the `ipxe` boot interface; Fibre Channel needs `wwpn` connectors, as many
/// `wwnn` as `wwpn`.
public struct ExternalStorage: StorageInterface {
    public let name = "external"

    public init() {}

    /// The node's connectors and targets fit together, and the node's boot and management
    /// interfaces can reach them.
    public func validate(_ task: DriverTask) throws(DriverError) {
        guard !task.volumeTargets.isEmpty else { return }
        let node = task.node.uuid.lowercased
        let count = { (type: String) in task.volumeConnectors.filter { $0.type == type }.count }
        let (iqns, wwnns, wwpns) = (count("iqn"), count("wwnn"), count("wwpn"))
        if wwnns != wwpns {
            throw DriverError("Node \(node): Fibre Channel needs a wwpn volume connector for every wwnn one; "
                + "there are \(wwpns) wwpn and \(wwnns) wwnn connectors")
        }
        for target in task.volumeTargets {
            let uuid = target.uuid.lowercased
            switch target.volumeType {
            case "iscsi":
                guard iqns > 0 else {
                    throw DriverError("Volume target \(uuid) of node \(node) is configured for 'iscsi', however no iSCSI "
                        + "connectors are configured for the node: create a volume connector of type iqn with the node's initiator name")
                }
                if target.bootIndex == 0, !shouldWriteImage(task), task.driver.boot?.name != "ipxe" {
                    throw DriverError("Node \(node) boots from the iSCSI volume \(uuid), which the 'external' storage interface supports "
                        + "only with the ipxe boot interface; its boot interface is \(task.driver.boot?.name ?? "not set")")
                }
            case "fibre_channel":
                guard wwpns > 0 else {
                    throw DriverError("Volume target \(uuid) of node \(node) is configured for 'fibre_channel', however no "
                        + "Fibre Channel WWPNs are configured for the node volume connectors")
                }
                guard task.driver.management is any VolumeTargetProgramming else {
                    throw DriverError("Volume target \(uuid) of node \(node) is a Fibre Channel volume, which is attached out of band; "
                        + "the management interface \(task.driver.management?.name ?? "(none)") cannot program one (unsupported)")
                }
            default:
                throw DriverError("Volume target \(uuid) of node \(node) is of an unknown type '\(target.volumeType)'. "
                    + "Supported types: 'iscsi' or 'fibre_channel'")
            }
        }
    }

    /// Programs each Fibre Channel target into the node's adapter through the management
    /// interface; iSCSI targets need nothing now (iPXE attaches them at boot).
    public func attachVolumes(_ task: DriverTask) async throws(DriverError) {
        for target in task.volumeTargets where target.volumeType == "fibre_channel" {
            guard let management = task.driver.management as? any VolumeTargetProgramming else {
                throw DriverError("Node \(task.node.uuid.lowercased): the management interface \(task.driver.management?.name ?? "(none)") "
                    + "cannot program the Fibre Channel volume \(target.uuid.lowercased) (unsupported)")
            }
            try await management.programVolumeTarget(task, target)
        }
    }

    /// Takes each Fibre Channel target back from the node's adapter.
    public func detachVolumes(_ task: DriverTask) async throws(DriverError) {
        guard let management = task.driver.management as? any VolumeTargetProgramming else { return }
        for target in task.volumeTargets where target.volumeType == "fibre_channel" {
            try await management.clearVolumeTarget(task, target)
        }
    }

    /// No image is written when the node boots from a volume.
    public func shouldWriteImage(_ task: DriverTask) -> Bool {
        guard task.node.instanceInfo["image_source"] == nil else { return true }
        return !task.volumeTargets.contains { $0.bootIndex == 0 }
    }
}
