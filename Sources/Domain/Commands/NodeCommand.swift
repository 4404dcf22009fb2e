import Foundation

/// Everything that can be asked of a node: by a user through the API, or by the engine reporting
/// what the hardware did.
public enum NodeCommand: Sendable, Hashable {
    // Lifecycle
    /// `POST /v1/nodes`: the create body's fields by wire name (`driver` required).
    case enroll(uuid: UUID, fields: [String: JSONValue])
    /// `PATCH /v1/nodes/{id}`: a JSON Patch document.
    case update(patch: JSONValue)
    /// `DELETE /v1/nodes/{id}`.
    case delete
    // Provisioning
    /// `PUT /states/provision` with a verb and its arguments.
    case provision(verb: ProvisionVerb, arguments: ProvisionArguments)
    /// Work in progress moved on: `done`, `fail` (with the error), `wait`, `resume`, `hold`, or an
    /// internal `clean`/`manage` at the end of tear-down or manual cleaning.
    case advance(event: ProvisionEvent, error: String?)
    /// Inspection found this hardware.
    case recordInspection(inventory: JSONValue, properties: JSONValue)
    /// A clean, deploy or service step started.
    case startStep(phase: StepPhase, step: JSONValue)
    /// A step ended, with the error if it failed.
    case finishStep(phase: StepPhase, step: JSONValue, error: String?)
    // Power and management
    /// `PUT /states/power`.
    case requestPower(target: PowerTarget, timeout: Int?)
    /// The BMC reports this power state (the outcome of an action, or a sync).
    case recordPowerState(PowerState?)
    /// A power action failed.
    case failPowerAction(target: PowerTarget, error: String)
    /// `PUT /management/boot_device`.
    case setBootDevice(BootDevice, persistent: Bool)
    /// `PUT /states/raid`: the RAID configuration the next cleaning applies; `{}` clears it.
    case setTargetRAIDConfig(JSONValue)
    /// `PUT /maintenance` (with an optional reason) or the engine's automatic maintenance (with a fault).
    case setMaintenance(reason: String?, fault: String?)
    /// `DELETE /maintenance`.
    case clearMaintenance
    /// Record or clear `last_error`.
    case setLastError(String?)
    /// `PUT /traits` (replace all), `PUT /traits/{t}`, `DELETE /traits[/{t}]`.
    case setTraits([String])
    case addTrait(String)
    case removeTrait(String?)
    // Ports, port groups, volume resources
    case createPort(uuid: UUID, fields: [String: JSONValue])
    case updatePort(uuid: UUID, patch: JSONValue)
    case deletePort(uuid: UUID)
    case createPortGroup(uuid: UUID, fields: [String: JSONValue])
    case updatePortGroup(uuid: UUID, patch: JSONValue)
    case deletePortGroup(uuid: UUID)
    case createVolumeConnector(uuid: UUID, fields: [String: JSONValue])
    case updateVolumeConnector(uuid: UUID, patch: JSONValue)
    case deleteVolumeConnector(uuid: UUID)
    case createVolumeTarget(uuid: UUID, fields: [String: JSONValue])
    case updateVolumeTarget(uuid: UUID, patch: JSONValue)
    case deleteVolumeTarget(uuid: UUID)
    // Network-bind and attach-volume
    /// `POST /vifs`: bind a tenant VIF to a free port or port group (on a physical network), with
    /// the configured tenant network it joins, if named.
    case attachVIF(vif: String, port: UUID?, portGroup: UUID?, physicalNetworks: Set<String>, network: String? = nil)
    /// `DELETE /vifs/{vif}`.
    case detachVIF(vif: String)
    /// The network interface moved the node's ports to another network.
    case changeNetworkPhase(NetworkPhase?)
    /// A switch confirmed that it moved the switch port of one of the node's ports.
    case recordSwitchPort(SwitchPortChange)
    /// The storage interface attached these volume targets (those already attached are left).
    case attachVolumes([UUID])
    /// The storage interface detached these volume targets, for `reason` (those not attached are
    /// left).
    case detachVolumes([UUID], reason: VolumeDetachReason)
    // Hardware records
    /// The bios interface reported these settings.
    case cacheBIOSSettings([BIOSSetting])
    /// The firmware interface reported these components.
    case cacheFirmwareComponents([FirmwareComponent])
    /// `PUT /management/indicators/{indicator}`, once the BMC has set it.
    case setIndicator(IndicatorID, IndicatorState)
    /// `PUT /states/boot_mode`, once the BMC has set it.
    case setBootMode(BootMode)
    /// `PUT /states/secure_boot`, once the BMC has set it.
    case setSecureBoot(Bool)
    /// `POST /vmedia`, once the BMC has inserted it.
    case attachVirtualMedia(VirtualMedia)
    /// `DELETE /vmedia`: these device types, or all.
    case detachVirtualMedia([VirtualMediaDevice]?)
    /// `POST /v1/events`: a network event about a port of this node.
    case recordNetworkEvent(NetworkEvent)
    /// `POST /v1/continue_inspection`: the data the agent sent beside the inventory.
    case recordInspectionPluginData(JSONValue)
    /// An inspection rule's action on the node while it is being inspected: a JSON Patch,
    /// decided as a `PATCH` is, except that the inspection in progress does not refuse it.
    case applyInspectionRulePatch(JSONValue)
    /// `PUT /states/console`, once the console interface has started or stopped the console.
    case setConsoleMode(enabled: Bool)
    /// A node vendor passthru call, once the vendor interface has taken it.
    case recordVendorPassthru(method: String, httpMethod: String)
    // Allocations
    /// Reserve the node for `allocation` (it must still match), or — `backfill`, 1.58 — record
    /// the allocation of a node that is already deployed.
    case assignAllocation(Allocation, backfill: Bool)
    /// The allocation with this UUID is being deleted: release the node if it holds it.
    case releaseAllocation(UUID)
}

/// What `decide` may ask about the rest of the fleet: the uniqueness rules that span nodes.
///
/// The engine answers from the projections and re-checks the same rules inside the writer's
/// transaction, so they hold under concurrency too.
public protocol FleetLookup: Sendable {
    /// The node that has `name`, if any.
    func node(named name: String) -> UUID?
    /// The port or port group that has MAC `address`, if any.
    func owner(ofMAC address: String) -> UUID?
    /// The port or port group named `name`, if any.
    func owner(ofPortName name: String) -> UUID?
    /// The connector with this type and id, if any.
    func volumeConnector(type: String, connectorID: String) -> UUID?
    /// The node that owns a port, port group or volume resource, if any.
    func node(owning resource: UUID) -> UUID?
}

/// A fleet with nothing in it; for deciding on a node in isolation.
public struct EmptyFleet: FleetLookup {
    public init() {}
    public func node(named name: String) -> UUID? { nil }
    public func owner(ofMAC address: String) -> UUID? { nil }
    public func owner(ofPortName name: String) -> UUID? { nil }
    public func volumeConnector(type: String, connectorID: String) -> UUID? { nil }
    public func node(owning resource: UUID) -> UUID? { nil }
}
