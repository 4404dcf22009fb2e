import Domain

/// Boots a deployed node into a rescue ramdisk and back (Ironic's `RescueInterface`).
public protocol RescueInterface: HardwareInterface {
    /// Boots the rescue ramdisk; `.wait` if its agent will call back.
    func rescue(_ task: DriverTask) async throws(DriverError) -> StepOutcome
    /// Boots the instance again.
    func unrescue(_ task: DriverTask) async throws(DriverError)
}

extension RescueInterface {
    public var kind: HardwareInterfaceKind { .rescue }
}
