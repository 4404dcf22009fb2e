import Domain

/// `fake` boot: every preparation succeeds at once.
public struct FakeBoot: BootInterface {
    public let name = "fake"
    let behaviour: FakeBehaviour

    public init(_ behaviour: FakeBehaviour) { self.behaviour = behaviour }

    public func prepareRamdisk(_ task: DriverTask) async throws(DriverError) { try await behaviour.perform("boot.prepare_ramdisk", kind: .boot, task) }
    public func cleanUpRamdisk(_ task: DriverTask) async throws(DriverError) { try await behaviour.perform("boot.clean_up_ramdisk", kind: .boot, task) }
    public func prepareInstance(_ task: DriverTask) async throws(DriverError) { try await behaviour.perform("boot.prepare_instance", kind: .boot, task) }
    public func cleanUpInstance(_ task: DriverTask) async throws(DriverError) { try await behaviour.perform("boot.clean_up_instance", kind: .boot, task) }
}

/// `fake` deploy: the steps of Ironic's `direct` deploy, each running the node's (fake) boot,
/// network and power interfaces, with the image write itself a no-op.
public struct FakeDeploy: DeployInterface {
    public let name = "fake"
    let behaviour: FakeBehaviour

    public init(_ behaviour: FakeBehaviour) { self.behaviour = behaviour }

    public func steps(for phase: StepPhase, _ task: DriverTask) -> [Step] { DeploySteps.direct(for: phase) }

    public func execute(_ step: Step, phase: StepPhase, _ task: DriverTask) async throws(DriverError) -> StepOutcome {
        guard steps(for: phase, task).contains(where: { $0.name == step.name }) else {
            throw DriverError("The deploy interface \"fake\" has no \(phase.rawValue) step \"\(step.name)\"")
        }
        try await behaviour.perform("deploy.\(step.name)", kind: .deploy, task)
        switch step.name {
        case "deploy": try await DeploySteps.bootRamdisk(task)
        case "prepare_instance_boot": try await DeploySteps.prepareInstanceBoot(task)
        case "tear_down_agent": try await task.driver.boot?.cleanUpRamdisk(task)
        case "switch_to_tenant_network": try await DeploySteps.switchToTenantNetwork(task)
        case "boot_instance": try await DeploySteps.bootInstance(task)
        default: break
        }
        return behaviour.waits("deploy.\(step.name)", task) ? .wait : .done
    }

    public func tearDown(_ task: DriverTask) async throws(DriverError) {
        try await behaviour.perform("deploy.tear_down", kind: .deploy, task)
        try await DeploySteps.tearDownInstance(task)
    }

    public func takeOver(_ task: DriverTask) async throws(DriverError) {
        try await behaviour.perform("deploy.take_over", kind: .deploy, task)
    }

    public func prepareCleaning(_ task: DriverTask) async throws(DriverError) {
        try await behaviour.perform("deploy.prepare_cleaning", kind: .deploy, task)
        try await DeploySteps.prepareCleaning(task)
    }

    public func tearDownCleaning(_ task: DriverTask) async throws(DriverError) {
        try await behaviour.perform("deploy.tear_down_cleaning", kind: .deploy, task)
        try await DeploySteps.tearDownCleaning(task)
    }
}
