import Domain
import Drivers
import EventStore
import Foundation

/// Requests the API answers with the node's drivers: validation, boot devices, and the agent's
/// call-back.
extension Conductor {
    /// Ironic's `GET /v1/nodes/{id}/validate`: each interface's verdict on the node.
    public func validate(_ uuid: UUID) throws -> [HardwareInterfaceKind: InterfaceValidation] {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        do {
            return drivers.validate(try context.task(for: aggregate))
        } catch let error as DriverError {
            return Dictionary(uniqueKeysWithValues: HardwareInterfaceKind.allCases.map { ($0, InterfaceValidation(result: false, reason: error.message)) })
        }
    }

    /// `PUT /v1/nodes/{id}/management/boot_device`: set on the BMC, then recorded. Refused with
    /// NodeLocked while the node is held, and with the BMC's words if it fails.
    public func setBootDevice(_ uuid: UUID, _ device: BootDevice, persistent: Bool, metadata: EventMetadata) async throws {
        try commands.reservation.acquire(uuid)
        defer { commands.reservation.release(uuid) }
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        if NodeReservation.isBusy(aggregate.node) { throw DomainError.nodeLocked(node: uuid, holder: commands.reservation.host) }
        let task = try context.task(for: aggregate)
        guard let management = task.driver.management else {
            throw DomainError.invalidParameter("Node \(uuid.lowercased) has no management interface to set its boot device")
        }
        guard management.supportedBootDevices(task).contains(device) else {
            throw DomainError.invalidParameter("Invalid boot device \(device.rawValue), supported boot devices are: "
                + management.supportedBootDevices(task).map(\.rawValue).joined(separator: ", "))
        }
        try await management.setBootDevice(task, device, persistent: persistent)
        try await commands.handle(.setBootDevice(device, persistent: persistent), node: uuid, metadata: metadata, origin: .engine)
    }

    /// `PUT /v1/nodes/{id}/management/inject_nmi`: a diagnostic interrupt through the node's
    /// management interface, if it can send one (else Ironic's UnsupportedDriverExtension, 400).
    /// Nothing is recorded: it changes no state Ironic keeps.
    public func injectNMI(_ uuid: UUID) async throws {
        try commands.reservation.acquire(uuid)
        defer { commands.reservation.release(uuid) }
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        if NodeReservation.isBusy(aggregate.node) { throw DomainError.nodeLocked(node: uuid, holder: commands.reservation.host) }
        let task = try context.task(for: aggregate)
        guard let management = task.driver.management as? any NMIInjecting else {
            throw DomainError.invalidParameter("Driver \(aggregate.node.driver) does not support inject_nmi (disabled or not implemented).")
        }
        try await management.injectNMI(task)
    }

    /// `GET /v1/nodes/{id}/management/boot_device`: what the BMC says.
    public func bootDevice(_ uuid: UUID) async throws -> (device: BootDevice?, persistent: Bool?) {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        let task = try context.task(for: aggregate)
        guard let management = task.driver.management else { return (nil, nil) }
        return try await management.bootDevice(task)
    }

    /// The ramdisk agent's call-back (`/v1/heartbeat`, or inspection data posted back): a node
    /// waiting for it goes on — deploy, clean, service and rescue resume where they stopped;
    /// inspection records the `inventory` and ends. Refused unless the node is waiting.
    public func agentCallBack(_ uuid: UUID, inventory: JSONValue? = nil, pluginData: JSONValue? = nil, metadata: EventMetadata) async throws {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        switch aggregate.node.provisionState {
        case .waitCallBack, .cleanWait, .serviceWait, .rescueWait:
            try await commands.handle(.advance(event: .resume, error: nil), node: uuid, metadata: metadata)
        case .inspectWait:
            guard let inventory else { throw DomainError.missingParameter("inventory") }
            guard try await leaveInspectionNetwork(aggregate, metadata: metadata) else { return }
            let recorded = try await commands.handle(.recordInspection(inventory: inventory, properties: InspectionOutcome.properties(of: inventory)),
                                                     node: uuid, metadata: metadata)
            if let pluginData { try await commands.handle(.recordInspectionPluginData(pluginData), node: uuid, metadata: metadata) }
            let rules = InspectionRuleApplier(commands: commands, logger: context.logger)
            if let failure = try await rules.apply(to: uuid, cause: try InspectionRuleApplier.firstEvent(of: recorded, in: store)) {
                try await commands.handle(.advance(event: .fail, error: failure), node: uuid, metadata: metadata)
                return
            }
            try await commands.handle(.advance(event: .done, error: nil), node: uuid, metadata: metadata)
        default:
            throw DomainError.invalidState("Node \(uuid.lowercased) is not waiting for a call-back; it is in \(aggregate.node.provisionState.rawValue).")
        }
    }

    /// An agent's inspection ended: a node on the `switch` network interface leaves the
    /// inspection network. `false` after failing the inspection because the switch could not move.
    private func leaveInspectionNetwork(_ aggregate: NodeAggregate, metadata: EventMetadata) async throws -> Bool {
        guard let network = try? drivers.resolve(aggregate.node).network, network is SwitchNetwork else { return true }
        let uuid = aggregate.uuid
        do {
            try await network.removeInspectionNetwork(try context.task(for: aggregate))
        } catch {
            let reason = (error as? DriverError)?.message ?? "\(error)"
            try await commands.handle(.advance(event: .fail, error: "Failed to move node \(uuid.lowercased) off the inspection network: \(reason)"),
                                      node: uuid, metadata: metadata)
            return false
        }
        try await commands.handle(.changeNetworkPhase(nil), node: uuid, metadata: metadata, origin: .engine)
        return true
    }
}

extension Conductor {
    /// `POST /v1/nodes`: the driver must be a hardware type this conductor has, any
    /// `<kind>_interface` given must be one it supports and has enabled, and the others get the
    /// type's defaults — so the node shows every interface it will use, as Ironic's do.
    @discardableResult
    public func enroll(_ uuid: UUID, fields: [String: JSONValue], metadata: EventMetadata) async throws -> NodeCommandHandler.Outcome {
        guard case .string(let driver)? = fields["driver"] else {
            return try await commands.handle(.enroll(uuid: uuid, fields: fields), node: uuid, metadata: metadata)
        }
        var explicit: [HardwareInterfaceKind: String] = [:]
        for kind in HardwareInterfaceKind.allCases {
            if case .string(let name)? = fields[kind.fieldName] { explicit[kind] = name }
        }
        do {
            try drivers.checkInterfaces(driver: driver, interfaces: explicit)
        } catch {
            throw DomainError.invalidParameter(error.message)
        }
        var completed = fields
        for (kind, name) in drivers.defaults(for: driver, except: explicit) where completed[kind.fieldName] == nil || completed[kind.fieldName] == .null {
            completed[kind.fieldName] = .string(name)
        }
        return try await commands.handle(.enroll(uuid: uuid, fields: completed), node: uuid, metadata: metadata)
    }
}

extension Conductor {
    /// `PATCH /v1/nodes/{id}`: as on create, a driver the patch leaves must be a hardware type
    /// this conductor has, and every interface the node names must be one that type supports and
    /// has enabled (Ironic answers 400); checked before anything is recorded.
    @discardableResult
    public func update(_ uuid: UUID, patch: JSONValue, metadata: EventMetadata) async throws -> NodeCommandHandler.Outcome {
        if let aggregate = try commands.aggregate(uuid), !aggregate.deleted {
            let changes = try aggregate.node.changes(applying: patch)
            if changes.keys.contains(where: { $0 == "driver" || $0.hasSuffix("_interface") }) {
                var node = aggregate.node
                for (name, value) in changes { try NodeField(name: name)?.set(value, in: &node) }
                do {
                    try drivers.checkInterfaces(driver: node.driver, interfaces: node.interfaces)
                } catch {
                    throw DomainError.invalidParameter(error.message)
                }
            }
        }
        return try await commands.handle(.update(patch: patch), node: uuid, metadata: metadata)
    }
}

extension Conductor {
    /// `GET /v1/nodes/{id}/management/boot_device/supported`: what the node's management
    /// interface can boot from (nothing if it has none).
    public func supportedBootDevices(_ uuid: UUID) throws -> [BootDevice] {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        let task = try context.task(for: aggregate)
        return task.driver.management?.supportedBootDevices(task) ?? []
    }
}
