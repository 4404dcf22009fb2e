import Domain

/// The networks a node's ports are on as it moves through its life (Ironic's `NetworkInterface`):
/// provisioning, cleaning, rescuing, inspection and servicing networks, and the tenant's.
public protocol NetworkInterface: HardwareInterface {
    func addProvisioningNetwork(_ task: DriverTask) async throws(DriverError)
    func removeProvisioningNetwork(_ task: DriverTask) async throws(DriverError)
    func configureTenantNetworks(_ task: DriverTask) async throws(DriverError)
    func unconfigureTenantNetworks(_ task: DriverTask) async throws(DriverError)
    func addCleaningNetwork(_ task: DriverTask) async throws(DriverError)
    func removeCleaningNetwork(_ task: DriverTask) async throws(DriverError)
    func addRescuingNetwork(_ task: DriverTask) async throws(DriverError)
    func removeRescuingNetwork(_ task: DriverTask) async throws(DriverError)
    /// Onto the inspection network, before in-band or out-of-band inspection.
    func addInspectionNetwork(_ task: DriverTask) async throws(DriverError)
    /// Off the inspection network once inspection ends.
    func removeInspectionNetwork(_ task: DriverTask) async throws(DriverError)
    /// Off the tenant's networks and onto the servicing network, before service steps.
    func addServicingNetwork(_ task: DriverTask) async throws(DriverError)
    /// Off the servicing network once the service steps are done (the tenant's are configured
    /// again separately).
    func removeServicingNetwork(_ task: DriverTask) async throws(DriverError)
}

extension NetworkInterface {
    public var kind: HardwareInterfaceKind { .network }

    /// Nothing to move unless the interface has an inspection network.
    public func addInspectionNetwork(_ task: DriverTask) async throws(DriverError) {}
    public func removeInspectionNetwork(_ task: DriverTask) async throws(DriverError) {}
    /// Nothing to move unless the interface has a servicing network.
    public func addServicingNetwork(_ task: DriverTask) async throws(DriverError) {}
    public func removeServicingNetwork(_ task: DriverTask) async throws(DriverError) {}
}
