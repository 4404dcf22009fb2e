import Domain

/// What the deploy interfaces do through the node's other interfaces — boot, network, storage and
/// power — shared so that `direct`, `ramdisk` and `fake` order them the same way.
enum DeploySteps {
    /// Ironic's `direct` deploy steps with their priorities, and its agent's clean steps.
    static func direct(for phase: StepPhase) -> [Step] {
        switch phase {
        case .deploy:
            [Step(.deploy, "deploy", priority: 100), Step(.deploy, "write_image", priority: 80),
             Step(.deploy, "prepare_instance_boot", priority: 60), Step(.deploy, "tear_down_agent", priority: 40),
             Step(.deploy, "switch_to_tenant_network", priority: 30),
             // The instance may already be running: booting it again would disturb the tenant.
             Step(.deploy, "boot_instance", priority: 20, repeatable: false)]
        case .clean:
            [Step(.deploy, "erase_devices_metadata", priority: 99, abortable: true), Step(.deploy, "erase_devices", priority: 0, abortable: true)]
        case .service, .verify: []
        }
    }

    /// Boots the agent's ramdisk: the boot interface prepares it, the power interface reboots
    /// into it.
    static func bootRamdisk(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.boot?.prepareRamdisk(task)
        try await task.driver.requirePower().setPowerState(task, .rebooting, timeout: nil)
    }

    /// Attaches the node's volumes, then makes the next boot load the instance.
    static func prepareInstanceBoot(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.storage?.attachVolumes(task)
        try await task.driver.boot?.prepareInstance(task)
    }

    /// Moves the node from the provisioning network to the tenant's.
    static func switchToTenantNetwork(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.network?.removeProvisioningNetwork(task)
        try await task.driver.network?.configureTenantNetworks(task)
    }

    /// Boots the instance: power cycle into it.
    static func bootInstance(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.requirePower().setPowerState(task, .rebooting, timeout: nil)
    }

    /// Powers the node off or, for a node that must never be (`disable_power_off`, API 1.95),
    /// reboots it instead, as Ironic's conductor does where a flow would power off.
    static func powerOffOrReboot(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.requirePower().setPowerState(task, task.node.disablePowerOff ? .rebooting : .off, timeout: nil)
    }

    /// Takes an instance down (Ironic's `tear_down`): power off (a reboot under
    /// `disable_power_off`), off the tenant's networks, volumes detached, the instance's boot files
    /// removed.
    static func tearDownInstance(_ task: DriverTask) async throws(DriverError) {
        try await powerOffOrReboot(task)
        try await task.driver.network?.unconfigureTenantNetworks(task)
        try await task.driver.storage?.detachVolumes(task)
        try await task.driver.boot?.cleanUpInstance(task)
    }

    /// Gets a node ready for in-band cleaning: onto the cleaning network, booting the agent.
    static func prepareCleaning(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.network?.addCleaningNetwork(task)
        try await bootRamdisk(task)
    }

    /// Undoes ``prepareCleaning(_:)``: the ramdisk's boot files removed, off the cleaning network,
    /// powered off (rebooted under `disable_power_off`).
    static func tearDownCleaning(_ task: DriverTask) async throws(DriverError) {
        try await task.driver.boot?.cleanUpRamdisk(task)
        try await task.driver.network?.removeCleaningNetwork(task)
        try await powerOffOrReboot(task)
    }
}
