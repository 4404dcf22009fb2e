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
    indirect case enrolled(node: Node)
    case updated(changes: [String: JSONValue])
    case deleted
    // Provisioning
    case provisionStateChanged(change: ProvisionStateChange)
    case inspectionRecorded(inventory: JSONValue, properties: JSONValue)
    case stepStarted(phase: StepPhase, step: JSONValue)
    case stepFinished(phase: StepPhase, step: JSONValue, error: String?)
    // Power and management
    case powerActionRequested(target: PowerTarget, timeout: Int?)
    case powerStateChanged(from: PowerState?, to: PowerState?)
    case powerActionFailed(target: PowerTarget, error: String)
    case bootDeviceSet(device: BootDevice, persistent: Bool)
    case maintenanceSet(reason: String?)
    case maintenanceCleared
    case lastErrorChanged(error: String?)
    case faultChanged(fault: String?)
    case traitsSet(traits: [String])
    // Ports, port groups, volumes
    indirect case portCreated(port: Port)
    case portUpdated(uuid: UUID, changes: [String: JSONValue])
    case portDeleted(uuid: UUID)
    indirect case portGroupCreated(group: PortGroup)
    case portGroupUpdated(uuid: UUID, changes: [String: JSONValue])
    case portGroupDeleted(uuid: UUID)
    indirect case volumeConnectorCreated(connector: VolumeConnector)
    case volumeConnectorUpdated(uuid: UUID, changes: [String: JSONValue])
    case volumeConnectorDeleted(uuid: UUID)
    indirect case volumeTargetCreated(target: VolumeTarget)
    case volumeTargetUpdated(uuid: UUID, changes: [String: JSONValue])
    case volumeTargetDeleted(uuid: UUID)
    // Network-bind and attach-volume
    case vifAttached(vif: String, binding: VIFBinding)
    case vifDetached(vif: String, binding: VIFBinding)
    case networkPhaseChanged(from: NetworkPhase?, to: NetworkPhase?)
    case volumesAttached(targets: [UUID])
    case volumesDetached(targets: [UUID])
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
