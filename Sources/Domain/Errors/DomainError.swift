import Foundation

/// Every refusal of a command, typed so that the API can answer with Ironic's status code and a
/// message that says which node, which state, which field.
public enum DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The node does not exist (404).
    case nodeNotFound(String)
    /// A port, port group, volume connector or target does not exist (404).
    case resourceNotFound(kind: String, id: String)
    /// A node with this UUID already exists (409).
    case nodeAlreadyExists(UUID)
    /// A resource with this UUID already exists (409).
    case resourceAlreadyExists(kind: String, id: UUID)
    /// Another node already has this name (409).
    case duplicateName(String)
    /// Another resource of this kind (an allocation, a deploy template) already has this name (409).
    case duplicateResourceName(kind: String, name: String)
    /// Another port (or port group) already has this MAC address (409).
    case duplicateMAC(String)
    /// Another port or port group already has this name (409).
    case duplicatePortName(String)
    /// A volume connector with this type and connector id exists (409).
    case duplicateVolumeConnector(type: String, connectorID: String)
    /// The node already has a volume target with this boot index (409).
    case duplicateBootIndex(node: UUID, bootIndex: Int)
    /// The verb is not allowed in the node's provision state (400).
    case invalidStateRequested(action: String, node: UUID, state: ProvisionState)
    /// The operation conflicts with the node's state (409): delete in the wrong state, an update
    /// during a transition, connectivity changes on a deployed node.
    case invalidState(String)
    /// The node is in maintenance and the action is not allowed there (400).
    case nodeInMaintenance(action: String, node: UUID)
    /// The node is protected (403).
    case nodeProtected(UUID)
    /// The node is retired and cannot be provided (400).
    case nodeRetired(UUID)
    /// The node has an instance (409).
    case nodeAssociated(node: UUID, instance: UUID)
    /// A field's value is malformed (400).
    case invalidField(String, reason: String)
    /// A required parameter is missing (400).
    case missingParameter(String)
    /// A request parameter has a bad value (400).
    case invalidParameter(String)
    /// A VIF is already attached (409).
    case vifAlreadyAttached(String)
    /// A VIF is not attached to this node (400).
    case vifNotAttached(vif: String, node: UUID)
    /// No free port or port group can take the VIF (400).
    case noFreePhysicalPorts(vif: String, node: UUID)
    /// A port group still has ports (400).
    case portGroupNotEmpty(UUID)
    /// A chassis still has nodes (Ironic's `ChassisNotEmpty`, 400).
    case chassisNotEmpty(UUID)
    /// A volume connector or target edit (`action`, e.g. `volume target update`) needs the node
    /// powered off; it is in `powerState` (400, Ironic's InvalidStateRequested).
    case volumeEditRequiresPowerOff(node: UUID, action: String, powerState: PowerState?)
    /// The node refuses power-off (`disable_power_off`) (409).
    case powerOffDisabled(UUID)
    /// Another operation holds the node (Ironic's reservation): retry once it is done.
    case nodeLocked(node: UUID, holder: String)

    /// Ironic's HTTP status for this refusal.
    public var httpStatus: Int {
        switch self {
        case .nodeNotFound, .resourceNotFound: 404
        case .nodeAlreadyExists, .resourceAlreadyExists, .duplicateName, .duplicateResourceName, .duplicateMAC, .duplicatePortName,
             .duplicateVolumeConnector, .duplicateBootIndex, .invalidState, .nodeAssociated, .vifAlreadyAttached,
             .powerOffDisabled, .nodeLocked: 409
        case .nodeProtected: 403
        case .invalidStateRequested, .nodeInMaintenance, .nodeRetired, .invalidField, .missingParameter, .invalidParameter,
             .vifNotAttached, .noFreePhysicalPorts, .portGroupNotEmpty, .chassisNotEmpty, .volumeEditRequiresPowerOff: 400
        }
    }

    public var description: String {
        switch self {
        case .nodeNotFound(let id): "Node \(id) could not be found."
        case let .resourceNotFound(kind, id): "\(kind) \(id) could not be found."
        case .nodeAlreadyExists(let uuid): "A node with UUID \(uuid.lowercased) already exists."
        case let .resourceAlreadyExists(kind, id): "\("aeiou".contains(kind.prefix(1)) ? "An" : "A") \(kind) with UUID \(id.lowercased) already exists."
        case .duplicateName(let name): "A node with name \(name) already exists."
        case let .duplicateResourceName(kind, name): "\("aeiou".contains(kind.prefix(1)) ? "An" : "A") \(kind) with name \(name) already exists."
        case .duplicateMAC(let mac): "A port with MAC address \(mac) already exists."
        case .duplicatePortName(let name): "A port with name \(name) already exists."
        case let .duplicateVolumeConnector(type, id): "A volume connector with type \(type) and connector ID \(id) already exists."
        case let .duplicateBootIndex(node, index): "A volume target with boot index '\(index)' for the same node \(node.lowercased) already exists."
        case let .invalidStateRequested(action, node, state):
            "The requested action \"\(action)\" can not be performed on node \"\(node.lowercased)\" while it is in state \"\(state.rawValue)\"."
        case .invalidState(let message): message
        case let .nodeInMaintenance(action, node): "The \(action) operation can't be performed on node \(node.lowercased) because it's in maintenance mode."
        case .nodeProtected(let node): "Node \(node.lowercased) is protected and cannot be undeployed, rebuilt or deleted"
        case .nodeRetired(let node): "Node \(node.lowercased) is retired and cannot be provided."
        case let .nodeAssociated(node, instance): "Node \(node.lowercased) is associated with instance \(instance.lowercased)."
        case let .invalidField(field, reason): "Invalid value for \(field): \(reason.hasSuffix(".") ? String(reason.dropLast()) : reason)."
        case .missingParameter(let name): "Missing parameter: \(name)."
        case .invalidParameter(let message): message
        case .vifAlreadyAttached(let vif): "VIF \(vif) is already attached to an Ironic port or port group."
        case let .vifNotAttached(vif, node): "VIF \(vif) is not attached to node \(node.lowercased)."
        case let .noFreePhysicalPorts(vif, node): "Unable to attach VIF \(vif), not enough free physical ports on node \(node.lowercased)."
        case .portGroupNotEmpty(let group): "Cannot complete the requested action because portgroup \(group.lowercased) contains ports."
        case .chassisNotEmpty(let chassis): "Cannot complete the requested action because chassis \(chassis.lowercased) contains nodes."
        case let .volumeEditRequiresPowerOff(node, action, power):
            "The requested action \"\(action)\" can not be performed on node \"\(node.lowercased)\" while it is in state \"\(power?.rawValue ?? "None")\"."
        case .powerOffDisabled(let node): "Powering off node \(node.lowercased) is disabled (disable_power_off)."
        case let .nodeLocked(node, holder):
            "Node \(node.lowercased) is locked by host \(holder), please retry after the current operation is completed."
        }
    }
}

extension UUID {
    /// The lower-case form Ironic uses on the wire.
    public var lowercased: String { uuidString.lowercased() }
}
