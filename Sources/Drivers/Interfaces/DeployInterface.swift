import Domain

/// Puts an instance on a node and takes it off (Ironic's `DeployInterface`). Its deploy steps
/// (`steps(for: .deploy, …)`) do the work; the engine runs them in priority order.
public protocol DeployInterface: HardwareInterface {
    /// Tears an instance down (power off, clean up); the node then goes to cleaning.
    func tearDown(_ task: DriverTask) async throws(DriverError)
    /// Takes an already-running instance under management (adoption).
    func takeOver(_ task: DriverTask) async throws(DriverError)
    /// Gets a node ready for cleaning (boots the ramdisk where steps need one).
    func prepareCleaning(_ task: DriverTask) async throws(DriverError)
    /// Undoes `prepareCleaning`.
    func tearDownCleaning(_ task: DriverTask) async throws(DriverError)
    /// Whether this interface writes an image (a `ramdisk` deploy does not).
    var writesImage: Bool { get }
}

extension DeployInterface {
    public var kind: HardwareInterfaceKind { .deploy }
    public var writesImage: Bool { true }
}
