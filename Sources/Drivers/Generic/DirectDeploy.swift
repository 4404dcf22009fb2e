import Domain

/// The `direct` deploy (Ironic's `AgentDeploy`): the node boots the deploy ramdisk, whose agent
/// downloads the image and writes it to disk itself, then the node boots the instance.
///
/// Its deploy steps, highest priority first, as Ironic's:
///
/// | step | priority | what |
/// |---|---|---|
/// | `deploy` | 100 | boot the ramdisk (boot interface, then a reboot); waits for the agent |
/// | `write_image` | 80 | the agent writes `instance_info.image_source`; waits for its call-back |
/// | `prepare_instance_boot` | 60 | attach volumes; the boot interface prepares the instance's boot |
/// | `tear_down_agent` | 40 | power off |
/// | `switch_to_tenant_network` | 30 | off the provisioning network, onto the tenant's |
/// | `boot_instance` | 20 | power on; not repeated after an interruption (the instance may be up) |
///
/// The engine moves the node onto the provisioning network before the first step. A node that
/// boots from a volume needs no agent: `deploy` and `write_image` finish at once.
///
/// Cleaning boots the same ramdisk: `erase_devices_metadata` (99) runs in automated cleaning,
/// `erase_devices` (0) only when asked for; both are the agent's work and wait for it.
public struct DirectDeploy: DeployInterface {
    public let name = "direct"

    public init() {}

    /// The boot interface accepts the node, and — unless it boots from a volume — the image to
    /// write is named (`instance_info.image_source`, with a checksum for an http(s) image).
    public func validate(_ task: DriverTask) throws(DriverError) {
        try task.driver.boot?.validate(task)
        guard agentWritesImage(task) else { return }
        let info = task.node.instanceInfo
        guard let source = info["image_source"]?.stringValue, !source.isEmpty else {
            throw DriverError("Node \(task.node.uuid.lowercased) failed to validate deploy image info. Some parameters were missing. "
                + "Missing are: instance_info.image_source")
        }
        let lowered = source.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
           info["image_checksum"]?.stringValue == nil, info["image_os_hash_value"]?.stringValue == nil {
            throw DriverError("Node \(task.node.uuid.lowercased): the image \(source) needs instance_info.image_checksum "
                + "(or image_os_hash_algo and image_os_hash_value) for the agent to verify what it downloads")
        }
    }

    public func steps(for phase: StepPhase, _ task: DriverTask) -> [Step] { DeploySteps.direct(for: phase) }

    public func execute(_ step: Step, phase: StepPhase, _ task: DriverTask) async throws(DriverError) -> StepOutcome {
        switch (phase, step.name) {
        case (.deploy, "deploy"):
            guard agentWritesImage(task) else { return .done }
            try await DeploySteps.bootRamdisk(task)
            return .wait
        case (.deploy, "write_image"):
            return agentWritesImage(task) ? .wait : .done
        case (.deploy, "prepare_instance_boot"):
            try await DeploySteps.prepareInstanceBoot(task)
        case (.deploy, "tear_down_agent"):
            // A node that must stay powered (`disable_power_off`) keeps running the agent until
            // `boot_instance` reboots it.
            if !task.node.disablePowerOff { try await task.driver.requirePower().setPowerState(task, .off, timeout: nil) }
        case (.deploy, "switch_to_tenant_network"):
            try await DeploySteps.switchToTenantNetwork(task)
        case (.deploy, "boot_instance"):
            try await task.driver.requirePower().setPowerState(task, task.node.disablePowerOff ? .rebooting : .on, timeout: nil)
        case (.clean, "erase_devices_metadata"), (.clean, "erase_devices"):
            return .wait
        default:
            throw DriverError("The deploy interface \"direct\" has no \(phase.rawValue) step \"\(step.name)\"")
        }
        return .done
    }

    public func tearDown(_ task: DriverTask) async throws(DriverError) {
        try await DeploySteps.tearDownInstance(task)
    }

    /// Adoption writes nothing: the node only has to be one this interface could have deployed.
    public func takeOver(_ task: DriverTask) async throws(DriverError) {
        try validate(task)
    }

    public func prepareCleaning(_ task: DriverTask) async throws(DriverError) {
        try await DeploySteps.prepareCleaning(task)
    }

    public func tearDownCleaning(_ task: DriverTask) async throws(DriverError) {
        try await DeploySteps.tearDownCleaning(task)
    }

    /// Whether the agent writes an image: not for a node booting from a volume.
    private func agentWritesImage(_ task: DriverTask) -> Bool {
        task.driver.storage?.shouldWriteImage(task) ?? true
    }
}
