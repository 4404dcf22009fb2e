import Foundation

/// Folds node events into a ``NodeAggregate``: pure and total.
///
/// `evolve` never fails and never looks anything up: it is what replay, rebuild and as-of queries
/// run. An event that does not fit the state (it cannot happen through `decide`, but a log is
/// forever) leaves the state as it was rather than stopping the fold.
public enum NodeEvolution {
    /// The aggregate after `event`, recorded at `time` (µs since 1970). `nil` in, `nil` out, except
    /// for `enrolled`.
    ///
    /// `state` is consumed: a caller that moves its aggregate in (and assigns the result back)
    /// lets the fold mutate in place instead of copying the node for every event.
    public static func evolve(_ state: consuming NodeAggregate?, _ event: NodeEvent, at time: Int64) -> NodeAggregate? {
        if case .enrolled(let node) = event {
            var node = node
            node.createdAt = time
            node.provisionUpdatedAt = node.provisionUpdatedAt ?? time
            return NodeAggregate(node: node)
        }
        // `consume` moves the aggregate in: a copy here would retain and release every field of
        // the node once per event.
        guard var aggregate = consume state else { return nil }
        guard !aggregate.deleted else { return aggregate }
        apply(event, to: &aggregate, at: time)
        return aggregate
    }

    /// The same fold, in place: for a caller that keeps aggregates in a collection, this spares
    /// moving each (a node is large) in and out once per event.
    public static func evolve(_ state: inout NodeAggregate?, _ event: NodeEvent, at time: Int64) {
        if case .enrolled = event {
            state = evolve(nil, event, at: time)
            return
        }
        guard state?.deleted == false else { return }
        apply(event, to: &state!, at: time)
    }

    private static func apply(_ event: NodeEvent, to aggregate: inout NodeAggregate, at time: Int64) {
        switch event {
        case .enrolled:
            break
        case .updated(let changes):
            for (name, value) in changes {
                guard let field = NodeField(name: name) else { continue }
                try? field.set(value, in: &aggregate.node)
            }
            aggregate.node.updatedAt = time
        case .deleted:
            aggregate.deleted = true
        case .provisionStateChanged(let change):
            applyProvision(change, to: &aggregate, at: time)
        case let .inspectionRecorded(inventory, properties):
            aggregate.inventory = inventory == .null ? JSONValue?.none : inventory
            if case .object(let updates) = properties, case .object(var current) = aggregate.node.properties {
                current.merge(updates) { _, new in new }
                aggregate.node.properties = .object(current)
            }
            aggregate.node.updatedAt = time
        case let .stepStarted(phase, step):
            setStep(step, phase: phase, on: &aggregate.node)
            aggregate.node.updatedAt = time
        case let .stepFinished(phase, _, error):
            setStep(.emptyObject, phase: phase, on: &aggregate.node)
            if let error { aggregate.node.lastError = error }
            aggregate.node.updatedAt = time
        case let .powerActionRequested(target, _):
            aggregate.node.targetPowerState = target.targetPowerState
            aggregate.node.lastError = nil
            aggregate.node.updatedAt = time
        case let .powerStateChanged(_, to):
            aggregate.node.powerState = to
            aggregate.node.targetPowerState = nil
            aggregate.node.updatedAt = time
        case let .powerActionFailed(_, error):
            aggregate.node.targetPowerState = nil
            aggregate.node.lastError = error
            aggregate.node.updatedAt = time
        case let .bootDeviceSet(device, persistent):
            aggregate.node.bootDevice = device
            aggregate.node.bootDevicePersistent = persistent
            aggregate.node.updatedAt = time
        case .maintenanceSet(let reason):
            aggregate.node.maintenance = true
            aggregate.node.maintenanceReason = reason
            aggregate.node.updatedAt = time
        case .maintenanceCleared:
            aggregate.node.maintenance = false
            aggregate.node.maintenanceReason = nil
            aggregate.node.fault = nil
            aggregate.node.updatedAt = time
        case .lastErrorChanged(let error):
            aggregate.node.lastError = error
            aggregate.node.updatedAt = time
        case .faultChanged(let fault):
            aggregate.node.fault = fault
            aggregate.node.updatedAt = time
        case .traitsSet(let traits):
            aggregate.node.traits = traits
            aggregate.node.updatedAt = time
        case .portCreated(let port):
            create(port, in: &aggregate.ports, at: time)
        case let .portUpdated(uuid, changes):
            update(uuid, with: changes, in: &aggregate.ports, at: time)
        case .portDeleted(let uuid):
            aggregate.ports[uuid] = nil
            aggregate.switchPorts[uuid] = nil
        case .portGroupCreated(let group):
            create(group, in: &aggregate.portGroups, at: time)
        case let .portGroupUpdated(uuid, changes):
            update(uuid, with: changes, in: &aggregate.portGroups, at: time)
        case .portGroupDeleted(let uuid):
            aggregate.portGroups[uuid] = nil
        case .volumeConnectorCreated(let connector):
            create(connector, in: &aggregate.volumeConnectors, at: time)
        case let .volumeConnectorUpdated(uuid, changes):
            update(uuid, with: changes, in: &aggregate.volumeConnectors, at: time)
        case .volumeConnectorDeleted(let uuid):
            aggregate.volumeConnectors[uuid] = nil
        case .volumeTargetCreated(let target):
            create(target, in: &aggregate.volumeTargets, at: time)
        case let .volumeTargetUpdated(uuid, changes):
            update(uuid, with: changes, in: &aggregate.volumeTargets, at: time)
        case .volumeTargetDeleted(let uuid):
            aggregate.volumeTargets[uuid] = nil
            aggregate.attachedVolumes[uuid] = nil
        case let .vifAttached(vif, binding):
            setVIF(vif, on: binding, in: &aggregate, at: time)
        case let .vifDetached(_, binding):
            setVIF(nil, on: binding, in: &aggregate, at: time)
        case let .vifNetworkBound(_, binding, network):
            setInternalInfo("tenant_network", .string(network), on: binding, in: &aggregate, at: time)
        case .switchPortConfigured(let change):
            aggregate.switchPorts[change.port] = SwitchPortState(change: change, since: time)
        case let .networkPhaseChanged(_, to):
            aggregate.networkPhase = to
        case .volumesAttached(let targets):
            for target in targets where aggregate.attachedVolumes[target] == nil { aggregate.attachedVolumes[target] = time }
        case .volumesDetached(let targets):
            for target in targets { aggregate.attachedVolumes[target] = nil }
        case .volumeAttached(let attachment):
            if aggregate.attachedVolumes[attachment.target] == nil { aggregate.attachedVolumes[attachment.target] = time }
        case .volumeDetached(let attachment, _):
            aggregate.attachedVolumes[attachment.target] = nil
        case .biosSettingsCached(let settings):
            aggregate.biosSettings = HardwareRecordEvolution.cache(settings, over: aggregate.biosSettings, at: time)
        case .firmwareComponentsCached(let components):
            aggregate.firmwareComponents = HardwareRecordEvolution.cache(components, over: aggregate.firmwareComponents, at: time)
        case let .indicatorSet(indicator, state):
            aggregate.indicators[indicator] = state
        case .bootModeSet(let mode):
            aggregate.node.bootMode = mode
            aggregate.node.updatedAt = time
        case .secureBootSet(let enabled):
            aggregate.node.secureBoot = enabled
            aggregate.node.updatedAt = time
        case .virtualMediaAttached(let media):
            aggregate.virtualMedia.removeAll { $0.deviceType == media.deviceType }
            aggregate.virtualMedia.append(media)
            aggregate.virtualMedia.sort { $0.deviceType < $1.deviceType }
        case .virtualMediaDetached(let types):
            aggregate.virtualMedia.removeAll { types.contains($0.deviceType) }
        case .networkEventReceived, .vendorPassthruCalled:
            break
        case .consoleModeSet(let enabled):
            aggregate.node.consoleEnabled = enabled
            aggregate.node.updatedAt = time
        case .inspectionPluginDataRecorded(let data):
            aggregate.pluginData = data
        case let .allocationAssigned(allocation, traits):
            aggregate.node.allocationUUID = allocation
            aggregate.node.instanceUUID = allocation
            var info = aggregate.node.instanceInfo.objectValue ?? [:]
            info["traits"] = .array(traits.map(JSONValue.string))
            aggregate.node.instanceInfo = .object(info)
            aggregate.node.updatedAt = time
        case .allocationReleased(let allocation):
            guard aggregate.node.allocationUUID == allocation else { break }
            aggregate.node.allocationUUID = nil
            aggregate.node.instanceUUID = nil
            aggregate.node.updatedAt = time
        }
    }

    private static func applyProvision(_ change: ProvisionStateChange, to aggregate: inout NodeAggregate, at time: Int64) {
        // Mutated in place through `aggregate.node`: copying the node out and back would retain
        // and release each of its fields once per event.
        aggregate.node.provisionState = change.to
        aggregate.node.targetProvisionState = change.target
        aggregate.node.provisionUpdatedAt = time
        aggregate.node.updatedAt = time
        if change.verb != nil { aggregate.node.lastError = nil }
        if let error = change.error { aggregate.node.lastError = error }
        if change.to == .inspecting, change.from != .inspectWait { aggregate.node.inspectionStartedAt = time }
        if change.to == .manageable, change.from == .inspecting || change.from == .inspectWait { aggregate.node.inspectionFinishedAt = time }
        if change.from == .deleting, change.event == .clean {
            // Tear-down finished: the instance is gone.
            aggregate.node.instanceInfo = .emptyObject
            aggregate.node.instanceUUID = nil
            aggregate.node.instanceName = nil
        }
        if change.to.isStable || ProvisionState.failure.contains(change.to) {
            aggregate.node.cleanStep = .emptyObject
            aggregate.node.deployStep = .emptyObject
            aggregate.node.serviceStep = .emptyObject
        }
    }

    private static func create<Resource: NodeResource>(_ resource: Resource, in resources: inout [UUID: Resource], at time: Int64) {
        var resource = resource
        resource.createdAt = time
        resources[resource.uuid] = resource
    }

    /// Merges field changes into a resource; changes that would not decode leave it as it was.
    private static func update<Resource: NodeResource>(_ uuid: UUID, with changes: [String: JSONValue], in resources: inout [UUID: Resource], at time: Int64) {
        guard let resource = resources[uuid], var updated = ResourcePatching.merging(changes, into: resource) else { return }
        updated.updatedAt = time
        resources[uuid] = updated
    }

    private static func setStep(_ step: JSONValue, phase: StepPhase, on node: inout Node) {
        switch phase {
        case .clean: node.cleanStep = step
        case .deploy: node.deployStep = step
        case .service: node.serviceStep = step
        case .verify: break
        }
    }

    /// Binds (or, with `nil`, unbinds) `vif`; unbinding also forgets the VIF's tenant network.
    private static func setVIF(_ vif: String?, on binding: VIFBinding, in aggregate: inout NodeAggregate, at time: Int64) {
        setInternalInfo("tenant_vif_port_id", vif.map(JSONValue.string), on: binding, in: &aggregate, at: time)
        if vif == nil { setInternalInfo("tenant_network", nil, on: binding, in: &aggregate, at: time) }
    }

    private static func setInternalInfo(_ key: String, _ value: JSONValue?, on binding: VIFBinding, in aggregate: inout NodeAggregate, at time: Int64) {
        func updated(_ info: JSONValue) -> JSONValue {
            var members = info.objectValue ?? [:]
            members[key] = value
            return .object(members)
        }
        switch binding {
        case .port(let uuid):
            guard var port = aggregate.ports[uuid] else { return }
            port.internalInfo = updated(port.internalInfo)
            port.updatedAt = time
            aggregate.ports[uuid] = port
        case .portGroup(let uuid):
            guard var group = aggregate.portGroups[uuid] else { return }
            group.internalInfo = updated(group.internalInfo)
            group.updatedAt = time
            aggregate.portGroups[uuid] = group
        }
    }
}
