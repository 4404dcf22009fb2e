import Domain

/// Boots a node: the deploy/rescue ramdisk, then the instance (Ironic's `BootInterface`).
public protocol BootInterface: HardwareInterface {
    /// Makes the next boot load the ramdisk (PXE/iPXE config, virtual media).
    func prepareRamdisk(_ task: DriverTask) async throws(DriverError)
    /// Removes what `prepareRamdisk` set up.
    func cleanUpRamdisk(_ task: DriverTask) async throws(DriverError)
    /// Makes the next boot load the instance (local disk, boot-from-volume, or the ramdisk itself).
    func prepareInstance(_ task: DriverTask) async throws(DriverError)
    /// Removes what `prepareInstance` set up.
    func cleanUpInstance(_ task: DriverTask) async throws(DriverError)
}

extension BootInterface {
    public var kind: HardwareInterfaceKind { .boot }
}
