import Domain
import Drivers
import EventStore
import Foundation

/// Requests the API answers through the node's management interface — indicators, boot mode,
/// secure boot, virtual media — each checked by `decide` first, carried out on the BMC, then
/// recorded; and Neutron's network events, recorded on the node owning the port.
extension Conductor {
    /// Every indicator the node's management interface offers (none if it offers none).
    public func indicators(_ uuid: UUID) throws -> [IndicatorID: IndicatorCapability] {
        let (_, task) = try nodeTask(uuid)
        guard let management = task.driver.management as? any IndicatorManaging else { return [:] }
        return management.supportedIndicators(task)
    }

    /// The state one indicator shows, as the BMC says. Unknown indicator: 404.
    public func indicatorState(_ uuid: UUID, _ indicator: IndicatorID) async throws -> IndicatorState {
        let (_, task) = try nodeTask(uuid)
        let management = try indicatorManagement(task, indicator)
        return try await management.indicatorState(task, indicator)
    }

    /// `PUT /management/indicators/{indicator}`: set on the BMC, then recorded.
    public func setIndicator(_ uuid: UUID, _ indicator: IndicatorID, _ state: IndicatorState, metadata: EventMetadata) async throws {
        try await withManagement(uuid, .setIndicator(indicator, state), metadata: metadata) { task in
            let management = try indicatorManagement(task, indicator)
            guard let capability = management.supportedIndicators(task)[indicator], !capability.readOnly else {
                throw DomainError.invalidParameter("Indicator \(indicator) of node \(uuid.lowercased) is read-only.")
            }
            guard capability.states.contains(state) else {
                throw DomainError.invalidParameter("Indicator \(indicator) can not be set to \(state.rawValue); it can be "
                    + capability.states.map(\.rawValue).joined(separator: ", ") + ".")
            }
            try await management.setIndicatorState(task, indicator, state)
        }
    }

    /// `PUT /states/boot_mode`: refused in an unstable state (409), then set and recorded.
    public func setBootMode(_ uuid: UUID, _ mode: BootMode, metadata: EventMetadata) async throws {
        try await withManagement(uuid, .setBootMode(mode), metadata: metadata) { task in
            try await bootModeManagement(task, "set the boot mode").setBootMode(task, mode)
        }
    }

    /// `PUT /states/secure_boot`: refused in an unstable state (409), then set and recorded.
    public func setSecureBoot(_ uuid: UUID, _ enabled: Bool, metadata: EventMetadata) async throws {
        try await withManagement(uuid, .setSecureBoot(enabled), metadata: metadata) { task in
            try await bootModeManagement(task, "set secure boot").setSecureBoot(task, enabled)
        }
    }

    /// `POST /vmedia`: inserted by the BMC, then recorded.
    public func attachVirtualMedia(_ uuid: UUID, _ media: VirtualMedia, metadata: EventMetadata) async throws {
        try await withManagement(uuid, .attachVirtualMedia(media), metadata: metadata) { task in
            try await virtualMediaManagement(task).attachVirtualMedia(task, media)
        }
    }

    /// `DELETE /vmedia`: ejected by the BMC (these types, or all), then recorded.
    public func detachVirtualMedia(_ uuid: UUID, _ deviceTypes: [VirtualMediaDevice]?, metadata: EventMetadata) async throws {
        try await withManagement(uuid, .detachVirtualMedia(deviceTypes), metadata: metadata) { task in
            try await virtualMediaManagement(task).detachVirtualMedia(task, deviceTypes)
        }
    }

    /// `POST /v1/events`: a network event about the port with `event.macAddress`, recorded on the
    /// node owning it. Returns that node, or `nil` when no port has the MAC (Ironic logs those).
    @discardableResult
    public func recordNetworkEvent(_ event: NetworkEvent, metadata: EventMetadata) async throws -> UUID? {
        let fleet = commands.fleet
        guard let resource = fleet.owner(ofMAC: event.macAddress.lowercased()), let node = fleet.node(owning: resource) else { return nil }
        try await commands.handle(.recordNetworkEvent(event), node: node, metadata: metadata, origin: .engine)
        return node
    }

    // MARK: Helpers

    /// The node and a task for it; 404 if it does not exist.
    private func nodeTask(_ uuid: UUID) throws -> (NodeAggregate, DriverTask) {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        return (aggregate, try context.task(for: aggregate))
    }

    /// Holds the node, checks `command` with `decide` (so a refusal reaches no BMC), runs `action`
    /// on the BMC, then records `command`.
    private func withManagement(_ uuid: UUID, _ command: NodeCommand, metadata: EventMetadata,
                                _ action: (DriverTask) async throws -> Void) async throws {
        try commands.reservation.acquire(uuid)
        defer { commands.reservation.release(uuid) }
        let (aggregate, task) = try nodeTask(uuid)
        if NodeReservation.isBusy(aggregate.node) { throw DomainError.nodeLocked(node: uuid, holder: commands.reservation.host) }
        _ = try NodeDecider.decide(aggregate, command)
        try await action(task)
        try await commands.handle(command, node: uuid, metadata: metadata, origin: .engine)
    }

    private func indicatorManagement(_ task: DriverTask, _ indicator: IndicatorID) throws -> any IndicatorManaging {
        guard let management = task.driver.management as? any IndicatorManaging, management.supportedIndicators(task)[indicator] != nil else {
            throw DomainError.resourceNotFound(kind: "Indicator", id: indicator.description)
        }
        return management
    }

    private func bootModeManagement(_ task: DriverTask, _ action: String) throws -> any BootModeManaging {
        guard let management = task.driver.management as? any BootModeManaging else {
            throw DomainError.invalidParameter("Driver \(task.node.driver) does not support \(action) (the \(task.driver.management?.name ?? "missing") management interface can not).")
        }
        return management
    }

    private func virtualMediaManagement(_ task: DriverTask) throws -> any VirtualMediaManaging {
        guard let management = task.driver.management as? any VirtualMediaManaging else {
            throw DomainError.invalidParameter("Driver \(task.node.driver) does not support virtual media (the \(task.driver.management?.name ?? "missing") management interface can not).")
        }
        return management
    }
}
