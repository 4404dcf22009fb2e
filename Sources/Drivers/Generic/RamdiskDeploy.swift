import Domain

/// The `ramdisk` deploy (Ironic's `RamdiskDeploy`): nothing is written to disk; the node boots a
/// kernel and ramdisk (or an ISO image) from the network as its instance, every time.
///
/// Boot is separate from deploy, so this is a pairing: with `ipxe` or `pxe` the boot interface's
/// ``BootInterface/prepareInstance(_:)`` writes a config booting `instance_info.kernel` and
/// `instance_info.ramdisk` with `instance_info.ramdisk_kernel_arguments` (or `boot_iso`, iPXE
/// only) and makes PXE the persistent boot device. No agent is involved, so a deploy goes
/// straight to `active`.
public struct RamdiskDeploy: DeployInterface {
    public let name = "ramdisk"
    /// Nothing is written: the instance is booted from the network.
    public let writesImage = false

    public init() {}

    /// The boot interface accepts the node, and `instance_info` names what to boot: `kernel` and
    /// `ramdisk`, or `boot_iso`.
    public func validate(_ task: DriverTask) throws(DriverError) {
        try task.driver.boot?.validate(task)
        let info = task.node.instanceInfo
        guard info["boot_iso"]?.stringValue == nil else { return }
        let missing = ["kernel", "ramdisk"].filter { info[$0]?.stringValue == nil }
        guard missing.isEmpty else {
            throw DriverError("Node \(task.node.uuid.lowercased) failed to validate deploy image info. Some parameters were missing. "
                + "Missing are: \(missing.map { "instance_info.\($0)" }.joined(separator: ", ")) (or instance_info.boot_iso)")
        }
    }

    public func steps(for phase: StepPhase, _ task: DriverTask) -> [Step] {
        switch phase {
        case .deploy:
            [Step(.deploy, "prepare_instance_boot", priority: 60), Step(.deploy, "switch_to_tenant_network", priority: 30),
             Step(.deploy, "boot_instance", priority: 20, repeatable: false)]
        case .clean, .service, .verify: []
        }
    }

    public func execute(_ step: Step, phase: StepPhase, _ task: DriverTask) async throws(DriverError) -> StepOutcome {
        switch (phase, step.name) {
        case (.deploy, "prepare_instance_boot"): try await DeploySteps.prepareInstanceBoot(task)
        case (.deploy, "switch_to_tenant_network"): try await DeploySteps.switchToTenantNetwork(task)
        case (.deploy, "boot_instance"): try await DeploySteps.bootInstance(task)
        default: throw DriverError("The deploy interface \"ramdisk\" has no \(phase.rawValue) step \"\(step.name)\"")
        }
        return .done
    }

    public func tearDown(_ task: DriverTask) async throws(DriverError) {
        try await DeploySteps.tearDownInstance(task)
    }

    public func takeOver(_ task: DriverTask) async throws(DriverError) {}

    /// Cleaning runs no agent here: only the networks move.
    public func prepareCleaning(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.network?.addCleaningNetwork(task)
    }

    public func tearDownCleaning(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.network?.removeCleaningNetwork(task)
    }
}
