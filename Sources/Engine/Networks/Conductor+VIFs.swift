import Domain
import Drivers
import EventStore
import Foundation
import Synchronization

/// Network-bind through the API: a VIF attached to (or detached from) a node, with the
/// configured tenant network it joins. On an active node whose network interface is `switch`,
/// the switch ports of the ports it binds move at once — before anything is recorded, so a switch
/// that fails leaves the binding as it was.
extension Conductor {
    /// `POST /v1/nodes/{id}/vifs`: `network`, if given, must name a configured network; the VIF
    /// then goes to a free port or port group on that network's physical network.
    public func attachVIF(_ uuid: UUID, vif: String, port: UUID?, portGroup: UUID?, network: String?, metadata: EventMetadata) async throws {
        var physicalNetworks: Set<String> = []
        var networkName: String?
        if let network {
            guard let configured = try networks.network(network) else {
                throw DomainError.invalidParameter("Network \(network) is not configured; create it with POST /v1/networks, or leave \"network\" out.")
            }
            if let physnet = configured.physicalNetwork { physicalNetworks = [physnet] }
            networkName = configured.name
        }
        let command = NodeCommand.attachVIF(vif: vif, port: port, portGroup: portGroup, physicalNetworks: physicalNetworks, network: networkName)
        try await bindingVIF(uuid, command, metadata: metadata, reason: "vif attach \(vif)")
    }

    /// `DELETE /v1/nodes/{id}/vifs/{vif}`.
    public func detachVIF(_ uuid: UUID, vif: String, metadata: EventMetadata) async throws {
        try await bindingVIF(uuid, .detachVIF(vif: vif), metadata: metadata, reason: "vif detach \(vif)")
    }

    /// Decides `command`, moves the switch ports it rebinds if the node is active on the `switch`
    /// interface, then records the command and each confirmed move.
    private func bindingVIF(_ uuid: UUID, _ command: NodeCommand, metadata: EventMetadata, reason: String) async throws {
        try commands.reservation.acquire(uuid)
        defer { commands.reservation.release(uuid) }
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        if NodeReservation.isBusy(aggregate.node) { throw DomainError.nodeLocked(node: uuid, holder: commands.reservation.host) }
        let events = try NodeDecider.decide(aggregate, command, fleet: commands.fleet)
        guard aggregate.node.provisionState == .active, let driver = try? drivers.resolve(aggregate.node),
              let switching = driver.network as? SwitchNetwork else {
            try await commands.handle(command, node: uuid, metadata: metadata, origin: .engine)
            return
        }
        var after: NodeAggregate? = aggregate
        for event in events { after = NodeEvolution.evolve(after, event, at: 0) }
        guard let bound = after else { return }
        var touched: Set<UUID> = []
        for event in events {
            switch event {
            case .vifAttached(_, let binding), .vifDetached(_, let binding): touched.formUnion(Self.ports(of: binding, in: aggregate))
            default: break
            }
        }
        let moves = ConfirmedMoves()
        var task = try context.task(for: bound)
        task.switching = try context.switching(for: bound) { change in moves.changes.withLock { $0.append(change) } }
        if !touched.isEmpty { try await switching.configureTenantNetworks(task, ports: touched, reason: reason) }
        try await commands.handle(command, node: uuid, metadata: metadata, origin: .engine)
        for change in moves.changes.withLock({ $0 }) {
            try await commands.handle(.recordSwitchPort(change), node: uuid, metadata: metadata, origin: .engine)
        }
    }

    /// The node ports a binding covers: the port, or every member of the port group.
    static func ports(of binding: VIFBinding, in aggregate: NodeAggregate) -> Set<UUID> {
        switch binding {
        case .port(let port): [port]
        case .portGroup(let group): Set(aggregate.ports.values.filter { $0.portGroupUUID == group }.map(\.uuid))
        }
    }
}

/// The switch port moves a switch confirmed, kept until the binding they serve is recorded.
private final class ConfirmedMoves: Sendable {
    let changes = Mutex<[SwitchPortChange]>([])
}
