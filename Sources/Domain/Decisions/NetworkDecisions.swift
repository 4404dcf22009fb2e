import Foundation

/// Network-bind: attaching a tenant VIF to a free port or port group, as Ironic chooses one.
enum NetworkDecisions {
    static func attach(_ aggregate: NodeAggregate, vif: String, port: UUID?, portGroup: UUID?, physicalNetworks: Set<String>,
                       network: String? = nil) throws(DomainError) -> [NodeEvent] {
        let events = try bind(aggregate, vif: vif, port: port, portGroup: portGroup, physicalNetworks: physicalNetworks)
        guard let network, case .vifAttached(_, let binding) = events.first else { return events }
        return events + [.vifNetworkBound(vif: vif, binding: binding, network: network)]
    }

    private static func bind(_ aggregate: NodeAggregate, vif: String, port: UUID?, portGroup: UUID?, physicalNetworks: Set<String>) throws(DomainError) -> [NodeEvent] {
        guard !vif.isEmpty else { throw .missingParameter("id") }
        if port != nil && portGroup != nil { throw .invalidParameter("Only one of port_uuid and portgroup_uuid may be given") }
        if aggregate.binding(of: vif) != nil { throw .vifAlreadyAttached(vif) }
        if let port {
            guard let chosen = aggregate.ports[port] else { throw .resourceNotFound(kind: "Port", id: port.lowercased) }
            guard chosen.tenantVIF == nil else { throw .invalidParameter("Port \(port.lowercased) already has a VIF attached") }
            return [.vifAttached(vif: vif, binding: .port(port))]
        }
        if let portGroup {
            guard let chosen = aggregate.portGroups[portGroup] else { throw .resourceNotFound(kind: "Portgroup", id: portGroup.lowercased) }
            guard chosen.tenantVIF == nil else { throw .invalidParameter("Port group \(portGroup.lowercased) already has a VIF attached") }
            return [.vifAttached(vif: vif, binding: .portGroup(portGroup))]
        }
        func fits(_ physnet: String?) -> Bool { physnet == nil || physicalNetworks.isEmpty || physicalNetworks.contains(physnet!) }
        // Ironic's preference: a physical network set, then port groups over ports, then PXE-enabled ports.
        struct Candidate { let binding: VIFBinding; let rank: (Int, Int, Int); let uuid: UUID }
        var candidates: [Candidate] = []
        for group in aggregate.portGroups.values where group.tenantVIF == nil && fits(group.physicalNetwork) {
            let hasMembers = aggregate.ports.values.contains { $0.portGroupUUID == group.uuid }
            guard hasMembers else { continue }
            candidates.append(Candidate(binding: .portGroup(group.uuid), rank: (group.physicalNetwork == nil ? 1 : 0, 0, 0), uuid: group.uuid))
        }
        for port in aggregate.ports.values where port.tenantVIF == nil && fits(port.physicalNetwork) {
            if let group = port.portGroupUUID, aggregate.portGroups[group]?.standalonePortsSupported == false { continue }
            if port.portGroupUUID != nil { continue }
            candidates.append(Candidate(binding: .port(port.uuid), rank: (port.physicalNetwork == nil ? 1 : 0, 1, port.pxeEnabled ? 0 : 1), uuid: port.uuid))
        }
        let best = candidates.min { lhs, rhs in
            lhs.rank != rhs.rank ? lhs.rank < rhs.rank : lhs.uuid.uuidString < rhs.uuid.uuidString
        }
        guard let best else { throw .noFreePhysicalPorts(vif: vif, node: aggregate.uuid) }
        return [.vifAttached(vif: vif, binding: best.binding)]
    }
}
