import Foundation

/// Decides what a command means for a node: the events it causes, or the typed refusal Ironic
/// would answer with. Pure: the same state, command and fleet always give the same answer.
///
/// Secrets are sealed after deciding, by the engine, so that decisions stay deterministic.
public enum NodeDecider {
    /// The events `command` causes on `state` (`nil` when the node does not exist yet).
    public static func decide(_ state: NodeAggregate?, _ command: NodeCommand, fleet: any FleetLookup = EmptyFleet()) throws(DomainError) -> [NodeEvent] {
        if case let .enroll(uuid, fields) = command {
            if let state, !state.deleted { throw .nodeAlreadyExists(state.uuid) }
            return try enroll(uuid: uuid, fields: fields, fleet: fleet)
        }
        guard let aggregate = state, !aggregate.deleted else {
            throw .nodeNotFound(state?.uuid.lowercased ?? "unknown")
        }
        switch command {
        case .enroll:
            return []
        case .update(let patch):
            return try update(aggregate, patch: patch, fleet: fleet)
        case .delete:
            return try delete(aggregate)
        case let .provision(verb, arguments):
            return try ProvisionDecisions.provision(aggregate, verb: verb, arguments: arguments)
        case let .advance(event, error):
            return try ProvisionDecisions.advance(aggregate, event: event, error: error)
        case let .recordInspection(inventory, properties):
            guard [.inspecting, .inspectWait].contains(aggregate.node.provisionState) else {
                throw .invalidState("Node \(aggregate.uuid.lowercased) is not being inspected (it is \(aggregate.node.provisionState.rawValue)).")
            }
            return [.inspectionRecorded(inventory: inventory, properties: properties)]
        case let .startStep(phase, step):
            return [.stepStarted(phase: phase, step: step)]
        case let .finishStep(phase, step, error):
            return [.stepFinished(phase: phase, step: step, error: error)]
        case let .requestPower(target, timeout):
            return try PowerDecisions.request(aggregate, target: target, timeout: timeout)
        case .recordPowerState(let power):
            return PowerDecisions.record(aggregate, power: power)
        case let .failPowerAction(target, error):
            return [.powerActionFailed(target: target, error: error)]
        case let .setBootDevice(device, persistent):
            return [.bootDeviceSet(device: device, persistent: persistent)]
        case .setTargetRAIDConfig(let config):
            return try RAIDDecisions.setTarget(aggregate, config: config)
        case let .setMaintenance(reason, fault):
            var events: [NodeEvent] = [.maintenanceSet(reason: reason)]
            if let fault, fault != aggregate.node.fault { events.append(.faultChanged(fault: fault)) }
            return events
        case .clearMaintenance:
            return aggregate.node.maintenance || aggregate.node.fault != nil ? [.maintenanceCleared] : []
        case .setLastError(let error):
            return error == aggregate.node.lastError ? [] : [.lastErrorChanged(error: error)]
        case .setTraits(let traits):
            return try TraitDecisions.set(aggregate, traits: traits)
        case .addTrait(let trait):
            return try TraitDecisions.add(aggregate, trait: trait)
        case .removeTrait(let trait):
            return try TraitDecisions.remove(aggregate, trait: trait)
        case let .createPort(uuid, fields):
            return try PortDecisions.createPort(aggregate, uuid: uuid, fields: fields, fleet: fleet)
        case let .updatePort(uuid, patch):
            return try PortDecisions.updatePort(aggregate, uuid: uuid, patch: patch, fleet: fleet)
        case .deletePort(let uuid):
            return try PortDecisions.deletePort(aggregate, uuid: uuid)
        case let .createPortGroup(uuid, fields):
            return try PortDecisions.createPortGroup(aggregate, uuid: uuid, fields: fields, fleet: fleet)
        case let .updatePortGroup(uuid, patch):
            return try PortDecisions.updatePortGroup(aggregate, uuid: uuid, patch: patch, fleet: fleet)
        case .deletePortGroup(let uuid):
            return try PortDecisions.deletePortGroup(aggregate, uuid: uuid)
        case let .createVolumeConnector(uuid, fields):
            return try VolumeDecisions.createConnector(aggregate, uuid: uuid, fields: fields, fleet: fleet)
        case let .updateVolumeConnector(uuid, patch):
            return try VolumeDecisions.updateConnector(aggregate, uuid: uuid, patch: patch, fleet: fleet)
        case .deleteVolumeConnector(let uuid):
            return try VolumeDecisions.deleteConnector(aggregate, uuid: uuid)
        case let .createVolumeTarget(uuid, fields):
            return try VolumeDecisions.createTarget(aggregate, uuid: uuid, fields: fields, fleet: fleet)
        case let .updateVolumeTarget(uuid, patch):
            return try VolumeDecisions.updateTarget(aggregate, uuid: uuid, patch: patch)
        case .deleteVolumeTarget(let uuid):
            return try VolumeDecisions.deleteTarget(aggregate, uuid: uuid)
        case let .attachVIF(vif, port, portGroup, physicalNetworks, network):
            return try NetworkDecisions.attach(aggregate, vif: vif, port: port, portGroup: portGroup, physicalNetworks: physicalNetworks, network: network)
        case .detachVIF(let vif):
            guard let binding = aggregate.binding(of: vif) else { throw .vifNotAttached(vif: vif, node: aggregate.uuid) }
            return [.vifDetached(vif: vif, binding: binding)]
        case .changeNetworkPhase(let phase):
            return phase == aggregate.networkPhase ? [] : [.networkPhaseChanged(from: aggregate.networkPhase, to: phase)]
        case .recordSwitchPort(let change):
            guard aggregate.ports[change.port] != nil else { throw .resourceNotFound(kind: "Port", id: change.port.lowercased) }
            if let current = aggregate.switchPorts[change.port]?.change, current.switchName == change.switchName,
               current.switchPort == change.switchPort, current.vlan == change.vlan, current.network == change.network, current.phase == change.phase {
                return []
            }
            return [.switchPortConfigured(change: change)]
        case .attachVolumes(let targets):
            return try VolumeDecisions.attach(aggregate, targets: targets)
        case let .detachVolumes(targets, reason):
            return VolumeDecisions.detach(aggregate, targets: targets, reason: reason)
        case .cacheBIOSSettings(let settings):
            return HardwareRecordDecisions.cacheBIOS(aggregate, settings: settings)
        case .cacheFirmwareComponents(let components):
            return HardwareRecordDecisions.cacheFirmware(aggregate, components: components)
        case let .setIndicator(indicator, state):
            return aggregate.indicators[indicator] == state ? [] : [.indicatorSet(indicator: indicator, state: state)]
        case .setBootMode(let mode):
            return try HardwareRecordDecisions.setBootMode(aggregate, mode: mode)
        case .setSecureBoot(let enabled):
            return try HardwareRecordDecisions.setSecureBoot(aggregate, enabled: enabled)
        case .attachVirtualMedia(let media):
            return [.virtualMediaAttached(media: media)]
        case .detachVirtualMedia(let types):
            return HardwareRecordDecisions.detachVirtualMedia(aggregate, deviceTypes: types)
        case .recordNetworkEvent(let event):
            return try HardwareRecordDecisions.recordNetworkEvent(aggregate, event: event)
        case .setConsoleMode(let enabled):
            return HardwareRecordDecisions.setConsoleMode(aggregate, enabled: enabled)
        case let .recordVendorPassthru(method, httpMethod):
            return [.vendorPassthruCalled(method: method, httpMethod: httpMethod)]
        case .recordInspectionPluginData(let data):
            guard [.inspecting, .inspectWait].contains(aggregate.node.provisionState) else {
                throw .invalidState("Node \(aggregate.uuid.lowercased) is not being inspected (it is \(aggregate.node.provisionState.rawValue)).")
            }
            return data == aggregate.pluginData ? [] : [.inspectionPluginDataRecorded(data: data)]
        case .applyInspectionRulePatch(let patch):
            guard [.inspecting, .inspectWait].contains(aggregate.node.provisionState) else {
                throw .invalidState("Node \(aggregate.uuid.lowercased) is not being inspected (it is \(aggregate.node.provisionState.rawValue)).")
            }
            return try update(aggregate, patch: patch, fleet: fleet, byInspection: true)
        case let .assignAllocation(allocation, backfill):
            return try AllocationDecisions.assign(aggregate, allocation, backfill: backfill)
        case .releaseAllocation(let allocation):
            return aggregate.node.allocationUUID == allocation ? [.allocationReleased(allocation: allocation)] : []
        }
    }

    // MARK: Lifecycle

    private static func enroll(uuid: UUID, fields: [String: JSONValue], fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        guard let driver = fields["driver"]?.stringValue, !driver.isEmpty else { throw .missingParameter("driver") }
        var node = Node(uuid: uuid, driver: driver)
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) where name != "uuid" {
            guard let field = NodeField(name: name), NodeField.creatable.contains(field) else {
                throw .invalidField(name, reason: "it is not a field a node can be created with")
            }
            try field.set(value, in: &node)
        }
        if let name = node.name, fleet.node(named: name) != nil { throw .duplicateName(name) }
        return [.enrolled(node: node)]
    }

    private static func update(_ aggregate: NodeAggregate, patch: JSONValue, fleet: any FleetLookup, byInspection: Bool = false) throws(DomainError) -> [NodeEvent] {
        let node = aggregate.node
        let changes = try NodePatching.changes(applying: patch, to: node)
        guard !changes.isEmpty else { return [] }
        let onlyRemovesInstance = changes.keys.allSatisfy { $0 == NodeField.instanceUUID.name } && changes[NodeField.instanceUUID.name] == .null
        if !byInspection, node.isInTransition, !ProvisionState.updateAllowed.contains(node.provisionState) || node.provisionState == .inspecting,
           !(node.maintenance && onlyRemovesInstance) {
            throw .invalidState("Node \(node.uuid.lowercased) can not be updated while a state transition is in progress.")
        }
        let touchesInterfaces = changes.keys.contains { $0 == "driver" || $0.hasSuffix("_interface") }
        if touchesInterfaces, !node.maintenance, !ProvisionState.interfaceChangeAllowed.contains(node.provisionState) {
            throw .invalidState("Node \(node.uuid.lowercased) can not change its driver or interfaces while it is in state \(node.provisionState.rawValue); put it in maintenance first.")
        }
        if case .string(let instance)? = changes[NodeField.instanceUUID.name], let current = node.instanceUUID,
           instance.lowercased() != current.lowercased {
            throw .nodeAssociated(node: node.uuid, instance: current)
        }
        if changes[NodeField.resourceClass.name] != nil, node.provisionState == .active {
            throw .invalidState("Node \(node.uuid.lowercased) is active: its resource_class cannot change.")
        }
        if changes[NodeField.driver.name] != nil, node.consoleEnabled {
            throw .invalidState("Node \(node.uuid.lowercased) has its console enabled: disable it before changing the driver.")
        }
        if case .string(let name)? = changes[NodeField.name.name], let owner = fleet.node(named: name), owner != node.uuid {
            throw .duplicateName(name)
        }
        var events: [NodeEvent] = []
        var fieldChanges = changes
        if changes[NodeField.maintenance.name] == .bool(false), node.maintenance {
            fieldChanges[NodeField.maintenance.name] = nil
            events.append(.maintenanceCleared)
        } else if changes[NodeField.maintenance.name] == .bool(true), !node.maintenance {
            fieldChanges[NodeField.maintenance.name] = nil
            let reason = fieldChanges.removeValue(forKey: NodeField.maintenanceReason.name)?.stringValue
            events.append(.maintenanceSet(reason: reason))
        }
        if !fieldChanges.isEmpty { events.insert(.updated(changes: fieldChanges), at: 0) }
        if changes[NodeField.instanceUUID.name] == .null, let allocation = node.allocationUUID {
            // Removing the instance removes the allocation that set it (Ironic's update_node).
            let allowed = ProvisionState.interfaceChangeAllowed
            if !node.maintenance, !allowed.contains(node.provisionState) {
                throw .invalidState("Node \(node.uuid.lowercased) with an allocation can not have instance_uuid removed unless it is in one of allowed (\(allowed.map(\.rawValue).sorted().joined(separator: ", "))) states or in maintenance mode.")
            }
            events.append(.allocationReleased(allocation: allocation))
        }
        return events
    }

    private static func delete(_ aggregate: NodeAggregate) throws(DomainError) -> [NodeEvent] {
        let node = aggregate.node
        if node.protected { throw .nodeProtected(node.uuid) }
        if let instance = node.instanceUUID, !node.maintenance { throw .nodeAssociated(node: node.uuid, instance: instance) }
        guard node.maintenance || ProvisionState.deleteAllowed.contains(node.provisionState) else {
            throw .invalidState("Can not delete node \"\(node.uuid.lowercased)\" while it is in provision state \"\(node.provisionState.rawValue)\".")
        }
        // Ironic deletes a node's allocation with it.
        return aggregate.node.allocationUUID.map { [.allocationReleased(allocation: $0), .deleted] } ?? [.deleted]
    }
}
