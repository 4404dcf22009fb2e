import Domain
import Foundation

/// The `switch` network interface: tenant isolation at the switch. Each of the node's ports cabled
/// to a managed switch (its `local_link_connection`) has its switch port's access VLAN moved
/// between the networks of the node's life, as Ironic's `neutron` interface does through
/// networking-generic-switch:
///
/// - a phase (provisioning, cleaning, rescuing, inspection, servicing) puts the PXE-enabled ports
///   on the phase's configured network and parks the others;
/// - the tenant's networks put each port carrying a VIF (itself or through its port group) on the
///   VIF's network, and park the others;
/// - leaving a phase or the tenant's networks parks every port on
///   ``SwitchPortChange/parkingVLAN``, which reaches nothing.
///
/// Every move is recorded (``SwitchNetworking/record``) only after the switch confirmed it, so a
/// switch that fails leaves the recorded binding where it was, and the error names the switch and
/// its port.
public struct SwitchNetwork: NetworkInterface {
    public let name = "switch"
    let tool: OVSTool

    /// The interface, driving switches with `tool`.
    public init(tool: OVSTool = .standard) { self.tool = tool }

    /// Where a move sends the ports.
    enum Destination: Equatable {
        case phase(NetworkPhase)
        case tenant
        case parked
    }

    /// The node needs the engine's networking and at least one port on a managed switch, each
    /// port naming a switch that is managed.
    public func validate(_ task: DriverTask) throws(DriverError) {
        _ = try attachments(task)
    }

    public func addProvisioningNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .phase(.provisioning), "add_provisioning_network") }
    public func removeProvisioningNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .parked, "remove_provisioning_network") }
    public func configureTenantNetworks(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .tenant, "configure_tenant_networks") }
    public func unconfigureTenantNetworks(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .parked, "unconfigure_tenant_networks") }
    public func addCleaningNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .phase(.cleaning), "add_cleaning_network") }
    public func removeCleaningNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .parked, "remove_cleaning_network") }
    public func addRescuingNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .phase(.rescuing), "add_rescuing_network") }
    public func removeRescuingNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .parked, "remove_rescuing_network") }
    public func addInspectionNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .phase(.inspection), "add_inspection_network") }
    public func removeInspectionNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .parked, "remove_inspection_network") }
    public func addServicingNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .phase(.servicing), "add_servicing_network") }
    public func removeServicingNetwork(_ task: DriverTask) async throws(DriverError) { try await move(task, to: .parked, "remove_servicing_network") }

    /// Moves only the switch ports of `ports` (a VIF just attached or detached on an active node)
    /// to where the tenant's networks put them.
    public func configureTenantNetworks(_ task: DriverTask, ports: Set<UUID>, reason: String) async throws(DriverError) {
        try await move(task, to: .tenant, reason, only: ports)
    }

    /// Moves every attached port's switch port to `destination`, recording each move once the
    /// switch confirmed it.
    func move(_ task: DriverTask, to destination: Destination, _ reason: String, only: Set<UUID>? = nil) async throws(DriverError) {
        let networking = try requireNetworking(task)
        var phaseNetwork: Network?
        if case .phase(let phase) = destination {
            guard let network = networking.network(for: phase) else {
                throw DriverError("Node \(task.node.uuid.lowercased) can not move to the \(phase.rawValue) network: \(networking.missingNetwork(for: phase)).")
            }
            phaseNetwork = network
        }
        for attachment in try attachments(task) where only?.contains(attachment.port.uuid) ?? true {
            let port = attachment.port
            var network: Network?
            var phase: NetworkPhase?
            switch destination {
            case .phase(let moved):
                if port.pxeEnabled { network = phaseNetwork; phase = moved }
            case .tenant:
                if let name = networking.tenantNetworks[port.uuid] {
                    guard let tenant = networking.networks[name] else {
                        throw DriverError("Port \(port.uuid.lowercased) carries a VIF on network \(name), which is not configured.")
                    }
                    network = tenant
                    phase = .tenant
                }
            case .parked:
                break
            }
            let change = SwitchPortChange(port: port.uuid, switchName: attachment.managedSwitch.name, switchPort: attachment.switchPort,
                                          vlan: network?.vlan ?? SwitchPortChange.parkingVLAN, network: network?.name, phase: phase, reason: reason)
            try await tool.setAccessVLAN(change.vlan, on: attachment.switchPort, of: attachment.managedSwitch)
            do { try await networking.record(change) } catch {
                throw DriverError("Switch \(change.switchName) put its port \(change.switchPort) on VLAN \(change.vlan), but the move could not be recorded: \(error)")
            }
        }
    }

    private func requireNetworking(_ task: DriverTask) throws(DriverError) -> SwitchNetworking {
        guard let networking = task.switching else {
            throw DriverError("The switch network interface has no networks and switches to work with for node \(task.node.uuid.lowercased).")
        }
        return networking
    }

    /// The node's ports on managed switches, by switch and switch port; throws for a port naming an
    /// unmanaged switch, or when no port is on a managed switch.
    func attachments(_ task: DriverTask) throws(DriverError) -> [SwitchAttachment] {
        let networking = try requireNetworking(task)
        var attachments: [SwitchAttachment] = []
        for port in task.ports {
            if let attachment = try networking.attachment(of: port) { attachments.append(attachment) }
        }
        guard !attachments.isEmpty else {
            throw DriverError("Node \(task.node.uuid.lowercased) has no port on a managed switch: the switch network interface needs a port "
                + "whose local_link_connection names a switch registered with POST /v1/switches (by switch_id, or switch_info = its name) and a port_id.")
        }
        // In switch and port order, so that moves happen (and are recorded) in the same order each time.
        return attachments.sorted { ($0.managedSwitch.name, $0.switchPort) < ($1.managedSwitch.name, $1.switchPort) }
    }
}
