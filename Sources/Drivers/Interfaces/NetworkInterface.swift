import Domain

/// The networks a node's ports are on as it moves through its life (Ironic's `NetworkInterface`):
/// provisioning, cleaning and rescuing networks, and the tenant's.
public protocol NetworkInterface: HardwareInterface {
    func addProvisioningNetwork(_ task: DriverTask) async throws(DriverError)
    func removeProvisioningNetwork(_ task: DriverTask) async throws(DriverError)
    func configureTenantNetworks(_ task: DriverTask) async throws(DriverError)
    func unconfigureTenantNetworks(_ task: DriverTask) async throws(DriverError)
    func addCleaningNetwork(_ task: DriverTask) async throws(DriverError)
    func removeCleaningNetwork(_ task: DriverTask) async throws(DriverError)
    func addRescuingNetwork(_ task: DriverTask) async throws(DriverError)
    func removeRescuingNetwork(_ task: DriverTask) async throws(DriverError)
}

extension NetworkInterface {
    public var kind: HardwareInterfaceKind { .network }
}
