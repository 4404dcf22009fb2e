import Foundation

/// Everything that can happen to a node, as facts in the past tense.
///
/// Each event carries what evolving it needs, so replay never looks anything up. Secrets inside
/// are sealed before the event is created (see `SecretFields`): the log never holds them in clear.
///
/// The cases carrying a whole node or resource are `indirect`: they are rare, and boxing them
/// keeps every event small (about a hundred bytes instead of seven hundred) for the frequent kinds
/// that replay moves around by the million.
public enum NodeEvent: Sendable, Hashable, Codable {
    // Lifecycle
    /// A node was created (enrolled) with these fields.
    indirect case enrolled(node: Node)
    /// Fields changed (PATCH), by wire name, with their new values.
    case updated(changes: [String: JSONValue])
    /// The node was deleted; its stream ends here.
    case deleted
    // Provisioning
    /// The provision state machine moved.
    case provisionStateChanged(change: ProvisionStateChange)
    /// Inspection found this inventory and these properties.
    case inspectionRecorded(inventory: JSONValue, properties: JSONValue)
    /// A clean, deploy, service or verify step started.
    case stepStarted(phase: StepPhase, step: JSONValue)
    /// A step ended, with the error if it failed.
    case stepFinished(phase: StepPhase, step: JSONValue, error: String?)
    // Power and management
    /// A power action was asked for.
    case powerActionRequested(target: PowerTarget, timeout: Int?)
    /// The BMC reported a power state.
    case powerStateChanged(from: PowerState?, to: PowerState?)
    /// A power action failed.
    case powerActionFailed(target: PowerTarget, error: String)
    /// The boot device was set.
    case bootDeviceSet(device: BootDevice, persistent: Bool)
    /// The node entered maintenance.
    case maintenanceSet(reason: String?)
    /// The node left maintenance (reason and fault cleared).
    case maintenanceCleared
    /// `last_error` was set or cleared.
    case lastErrorChanged(error: String?)
    /// `fault` was set or cleared.
    case faultChanged(fault: String?)
    /// The node's traits are now exactly these.
    case traitsSet(traits: [String])
    // Ports, port groups, volumes
    /// A port was created.
    indirect case portCreated(port: Port)
    /// Port fields changed.
    case portUpdated(uuid: UUID, changes: [String: JSONValue])
    /// A port was deleted.
    case portDeleted(uuid: UUID)
    /// A port group was created.
    indirect case portGroupCreated(group: PortGroup)
    /// Port group fields changed.
    case portGroupUpdated(uuid: UUID, changes: [String: JSONValue])
    /// A port group was deleted.
    case portGroupDeleted(uuid: UUID)
    /// A volume connector was created.
    indirect case volumeConnectorCreated(connector: VolumeConnector)
    /// Volume connector fields changed.
    case volumeConnectorUpdated(uuid: UUID, changes: [String: JSONValue])
    /// A volume connector was deleted.
    case volumeConnectorDeleted(uuid: UUID)
    /// A volume target was created.
    indirect case volumeTargetCreated(target: VolumeTarget)
    /// Volume target fields changed.
    case volumeTargetUpdated(uuid: UUID, changes: [String: JSONValue])
    /// A volume target was deleted.
    case volumeTargetDeleted(uuid: UUID)
    // Network-bind and attach-volume
    /// A tenant VIF was bound to a port or port group (network-bind).
    case vifAttached(vif: String, binding: VIFBinding)
    /// A tenant VIF was unbound.
    case vifDetached(vif: String, binding: VIFBinding)
    /// The node's ports moved to another network.
    case networkPhaseChanged(from: NetworkPhase?, to: NetworkPhase?)
    /// A bound VIF's tenant network: the configured network its port (or port group's members)
    /// go to when the node is on its tenant networks (`internal_info.tenant_network`).
    case vifNetworkBound(vif: String, binding: VIFBinding, network: String)
    /// A switch confirmed that a switch port cabled to one of the node's ports is on a VLAN.
    case switchPortConfigured(change: SwitchPortChange)
    /// The storage interface attached these targets (attach-volume). Written by earlier
    /// versions; now ``volumeAttached(attachment:)``, one per target. Still folded.
    case volumesAttached(targets: [UUID])
    /// The storage interface detached these targets. Written by earlier versions; now
    /// ``volumeDetached(attachment:reason:)``. Still folded.
    case volumesDetached(targets: [UUID])
    /// The storage interface attached a volume target to the node (attach-volume).
    indirect case volumeAttached(attachment: VolumeAttachment)
    /// A volume target was detached from the node, and why.
    indirect case volumeDetached(attachment: VolumeAttachment, reason: VolumeDetachReason)
    // Hardware records: BIOS, firmware, indicators, boot mode, virtual media, network events
    /// The bios interface reported these settings; they replace those cached before.
    case biosSettingsCached(settings: [BIOSSetting])
    /// The firmware interface reported these components; they replace those cached before.
    case firmwareComponentsCached(components: [FirmwareComponent])
    /// An indicator was set through the management interface.
    case indicatorSet(indicator: IndicatorID, state: IndicatorState)
    /// The boot mode was set through the management interface.
    case bootModeSet(mode: BootMode)
    /// UEFI secure boot was turned on or off through the management interface.
    case secureBootSet(enabled: Bool)
    /// An image was attached as virtual media.
    case virtualMediaAttached(media: VirtualMedia)
    /// Virtual media of these device types was detached.
    case virtualMediaDetached(deviceTypes: [VirtualMediaDevice])
    /// Neutron reported a network event about one of the node's ports.
    case networkEventReceived(event: NetworkEvent)
    /// The agent sent this data beside the inventory it posted (Ironic's `plugin_data`).
    case inspectionPluginDataRecorded(data: JSONValue)
    /// The console interface started (`true`) or stopped (`false`) the node's console:
    /// `console_enabled`.
    case consoleModeSet(enabled: Bool)
    /// A vendor passthru method was called on the node (its arguments are not kept: they may hold
    /// secrets).
    case vendorPassthruCalled(method: String, httpMethod: String)
    // Allocations
    /// An allocation reserved the node (or was backfilled onto it): `allocation_uuid` and
    /// `instance_uuid` become the allocation's UUID, `instance_info.traits` its traits. The
    /// allocation's stream records the same choice in the same append.
    case allocationAssigned(allocation: UUID, traits: [String])
    /// The node's allocation went away (deleted, or with the instance): `allocation_uuid` and
    /// `instance_uuid` are cleared.
    case allocationReleased(allocation: UUID)
}

/// A move of the provision state machine, with what caused it.
public struct ProvisionStateChange: Sendable, Hashable, Codable {
    public var from: ProvisionState
    public var to: ProvisionState
    public var event: ProvisionEvent
    public var target: ProvisionState?
    /// The API verb, for user-requested moves.
    public var verb: ProvisionVerb?
    /// The verb's arguments (steps, configdrive, rescue password — sealed), for user-requested moves.
    public var arguments: ProvisionArguments?
    /// Why a `fail` happened; becomes `last_error`.
    public var error: String?

    public init(from: ProvisionState, to: ProvisionState, event: ProvisionEvent, target: ProvisionState?,
                verb: ProvisionVerb? = nil, arguments: ProvisionArguments? = nil, error: String? = nil) {
        self.from = from
        self.to = to
        self.event = event
        self.target = target
        self.verb = verb
        self.arguments = arguments
        self.error = error
    }
}

/// The optional body of `PUT /states/provision`.
public struct ProvisionArguments: Sendable, Hashable, Codable {
    public var configdrive: JSONValue?
    public var cleanSteps: [JSONValue]?
    public var deploySteps: [JSONValue]?
    public var serviceSteps: [JSONValue]?
    public var rescuePassword: String?
    public var disableRamdisk: Bool?
    public var runbook: String?

    public init(configdrive: JSONValue? = nil, cleanSteps: [JSONValue]? = nil, deploySteps: [JSONValue]? = nil,
                serviceSteps: [JSONValue]? = nil, rescuePassword: String? = nil, disableRamdisk: Bool? = nil, runbook: String? = nil) {
        self.configdrive = configdrive
        self.cleanSteps = cleanSteps
        self.deploySteps = deploySteps
        self.serviceSteps = serviceSteps
        self.rescuePassword = rescuePassword
        self.disableRamdisk = disableRamdisk
        self.runbook = runbook
    }

    enum CodingKeys: String, CodingKey {
        case configdrive
        case cleanSteps = "clean_steps"
        case deploySteps = "deploy_steps"
        case serviceSteps = "service_steps"
        case rescuePassword = "rescue_password"
        case disableRamdisk = "disable_ramdisk"
        case runbook
    }
}

/// Which kind of steps a step event belongs to.
public enum StepPhase: String, Sendable, Hashable, Codable {
    case clean, deploy, service, verify
}
