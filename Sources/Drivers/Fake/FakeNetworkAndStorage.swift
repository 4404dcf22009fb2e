import Domain

/// A network interface that moves nothing (`noop`, and `flat`, where every port stays on one
/// flat network), or the `fake` one that only notes each move.
public struct StaticNetwork: NetworkInterface {
    public let name: String
    let behaviour: FakeBehaviour?

    /// `noop` or `flat`.
    public init(name: String) {
        self.name = name
        behaviour = nil
    }

    /// `fake`: each move is an action of the fake hardware (delays, failures, journal).
    public init(fake behaviour: FakeBehaviour) {
        name = "fake"
        self.behaviour = behaviour
    }

    private func note(_ action: String, _ task: DriverTask) async throws(DriverError) {
        try await behaviour?.perform("network.\(action)", kind: .network, task)
    }

    public func addProvisioningNetwork(_ task: DriverTask) async throws(DriverError) { try await note("add_provisioning_network", task) }
    public func removeProvisioningNetwork(_ task: DriverTask) async throws(DriverError) { try await note("remove_provisioning_network", task) }
    public func configureTenantNetworks(_ task: DriverTask) async throws(DriverError) { try await note("configure_tenant_networks", task) }
    public func unconfigureTenantNetworks(_ task: DriverTask) async throws(DriverError) { try await note("unconfigure_tenant_networks", task) }
    public func addCleaningNetwork(_ task: DriverTask) async throws(DriverError) { try await note("add_cleaning_network", task) }
    public func removeCleaningNetwork(_ task: DriverTask) async throws(DriverError) { try await note("remove_cleaning_network", task) }
    public func addRescuingNetwork(_ task: DriverTask) async throws(DriverError) { try await note("add_rescuing_network", task) }
    public func removeRescuingNetwork(_ task: DriverTask) async throws(DriverError) { try await note("remove_rescuing_network", task) }
}

/// A storage interface that attaches nothing (`noop`), or the `fake` one that notes each call.
public struct StaticStorage: StorageInterface {
    public let name: String
    let behaviour: FakeBehaviour?

    /// `noop`.
    public init() {
        name = "noop"
        behaviour = nil
    }

    /// `fake`.
    public init(fake behaviour: FakeBehaviour) {
        name = "fake"
        self.behaviour = behaviour
    }

    public func attachVolumes(_ task: DriverTask) async throws(DriverError) {
        guard !task.volumeTargets.isEmpty else { return }
        try await behaviour?.perform("storage.attach_volumes", kind: .storage, task)
    }

    public func detachVolumes(_ task: DriverTask) async throws(DriverError) {
        guard !task.volumeTargets.isEmpty else { return }
        try await behaviour?.perform("storage.detach_volumes", kind: .storage, task)
    }

    /// `noop` attaches nothing; `fake` attaches every target.
    public func attachedTargets(_ task: DriverTask) -> [VolumeTarget] { behaviour == nil ? [] : task.volumeTargets }

    /// `noop` ignores volumes and always writes the image (as Ironic's); `fake` boots from a
    /// volume with `boot_index` 0 instead.
    public func shouldWriteImage(_ task: DriverTask) -> Bool {
        behaviour == nil || !task.volumeTargets.contains { $0.bootIndex == 0 }
    }
}
