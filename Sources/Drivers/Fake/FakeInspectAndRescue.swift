import Domain

/// `fake` inspection: finds a small, fixed server (or what `driver_info.fake_inventory` says).
public struct FakeInspect: InspectInterface {
    public let name = "fake"
    let behaviour: FakeBehaviour

    public init(_ behaviour: FakeBehaviour) { self.behaviour = behaviour }

    public func inspectHardware(_ task: DriverTask) async throws(DriverError) -> InspectionOutcome {
        try await behaviour.perform("inspect.inspect_hardware", kind: .inspect, task)
        if behaviour.waits("inspect.inspect_hardware", task) { return .wait }
        let inventory: JSONValue = task.node.driverInfo["fake_inventory"] ?? [
            "cpu": ["count": 8, "architecture": "x86_64"],
            "memory": ["physical_mb": 16384],
            "disks": [["name": "/dev/sda", "size": 480_103_981_056]],
            "interfaces": .array(task.ports.map { ["mac_address": .string($0.address)] }),
        ]
        return .found(inventory: inventory, properties: InspectionOutcome.properties(of: inventory))
    }
}

extension InspectionOutcome {
    /// The node properties an inventory implies, as Ironic's inspection sets them: `cpus`,
    /// `cpu_arch`, `memory_mb`, and `local_gb` (the first disk, in GiB, less one).
    public static func properties(of inventory: JSONValue) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        properties["cpus"] = inventory["cpu"]?["count"]
        properties["cpu_arch"] = inventory["cpu"]?["architecture"]
        properties["memory_mb"] = inventory["memory"]?["physical_mb"]
        if case .array(let disks)? = inventory["disks"], case .number(let bytes)? = disks.first?["size"] {
            properties["local_gb"] = .number(max((bytes / 1_073_741_824).rounded(.down) - 1, 0))
        }
        return .object(properties)
    }
}

/// `no-inspect`: inspection is not available.
public struct NoInspect: InspectInterface {
    public let name = "no-inspect"
    public init() {}
    public func inspectHardware(_ task: DriverTask) async throws(DriverError) -> InspectionOutcome {
        throw DriverError("Inspection is not supported by the \"no-inspect\" interface; set inspect_interface to one that inspects")
    }
}

/// `fake` rescue: boots the rescue ramdisk and back.
public struct FakeRescue: RescueInterface {
    public let name = "fake"
    let behaviour: FakeBehaviour

    public init(_ behaviour: FakeBehaviour) { self.behaviour = behaviour }

    public func rescue(_ task: DriverTask) async throws(DriverError) -> StepOutcome {
        try await behaviour.perform("rescue.rescue", kind: .rescue, task)
        try await task.driver.network?.unconfigureTenantNetworks(task)
        try await task.driver.network?.addRescuingNetwork(task)
        try await task.driver.boot?.prepareRamdisk(task)
        try await task.driver.requirePower().setPowerState(task, .rebooting, timeout: nil)
        return behaviour.waits("rescue.rescue", task) ? .wait : .done
    }

    public func unrescue(_ task: DriverTask) async throws(DriverError) {
        try await behaviour.perform("rescue.unrescue", kind: .rescue, task)
        try await task.driver.boot?.cleanUpRamdisk(task)
        try await task.driver.network?.removeRescuingNetwork(task)
        try await task.driver.network?.configureTenantNetworks(task)
        try await task.driver.boot?.prepareInstance(task)
        try await task.driver.requirePower().setPowerState(task, .rebooting, timeout: nil)
    }
}

/// `no-rescue`: rescue is not available.
public struct NoRescue: RescueInterface {
    public let name = "no-rescue"
    public init() {}

    public func validate(_ task: DriverTask) throws(DriverError) {
        throw DriverError("Rescue is not supported by the \"no-rescue\" interface")
    }

    public func rescue(_ task: DriverTask) async throws(DriverError) -> StepOutcome {
        throw DriverError("Rescue is not supported by the \"no-rescue\" interface; set rescue_interface to one that rescues")
    }

    public func unrescue(_ task: DriverTask) async throws(DriverError) {
        throw DriverError("Unrescue is not supported by the \"no-rescue\" interface")
    }
}
