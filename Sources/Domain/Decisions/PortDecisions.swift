import Foundation

/// Ports and port groups: MACs unique across the fleet, names unique, membership within one
/// node, and connectivity changes only where Ironic allows them.
enum PortDecisions {
    static let portCreatable: Set<String> = [
        "address", "name", "portgroup_uuid", "local_link_connection", "pxe_enabled", "physical_network",
        "extra", "is_smartnic", "description", "vendor", "category", "available_for_dynamic_portgroup",
    ]
    static let portPatchable: Set<String> = portCreatable
    static let connectivityFields: Set<String> = ["portgroup_uuid", "pxe_enabled", "local_link_connection", "physical_network"]
    static let groupCreatable: Set<String> = [
        "address", "name", "mode", "properties", "standalone_ports_supported", "physical_network", "extra", "category",
        "dynamic_portgroup",
    ]

    static func createPort(_ aggregate: NodeAggregate, uuid: UUID, fields: [String: JSONValue], fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        if fleet.node(owning: uuid) != nil || aggregate.ports[uuid] != nil { throw .resourceAlreadyExists(kind: "port", id: uuid) }
        var fields = fields
        let address = try normalizedMAC(fields["address"], required: true)!
        fields["address"] = .string(address)
        var port = try ResourceFields.create(from: Port(uuid: uuid, nodeUUID: aggregate.uuid, address: address), kind: "port",
                                             fields: fields, allowed: portCreatable, required: ["address"])
        port.localLinkConnection = try normalizedLocalLinkConnection(port.localLinkConnection, smartNIC: port.isSmartNIC)
        try checkPort(port, in: aggregate, fleet: fleet)
        return [.portCreated(port: port)]
    }

    static func updatePort(_ aggregate: NodeAggregate, uuid: UUID, patch: JSONValue, fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        guard let port = aggregate.ports[uuid] else { throw .resourceNotFound(kind: "Port", id: uuid.lowercased) }
        var (changes, updated) = try ResourceFields.changes(applying: patch, to: port, kind: "port", patchable: portPatchable)
        guard !changes.isEmpty else { return [] }
        let node = aggregate.node
        if changes["address"] != nil {
            let mac = try normalizedMAC(changes["address"], required: true)!
            changes["address"] = .string(mac)
            updated.address = mac
            if node.provisionState == .active || node.instanceUUID != nil, !node.maintenance {
                throw .invalidState("The address of port \(uuid.lowercased) can not change while node \(node.uuid.lowercased) is active or has an instance; put the node in maintenance first.")
            }
        }
        if !connectivityFields.isDisjoint(with: changes.keys), !node.maintenance,
           !ProvisionState.portConnectivityChangeAllowed.contains(node.provisionState) {
            throw .invalidState("The connectivity of port \(uuid.lowercased) can not change while node \(node.uuid.lowercased) is in state \(node.provisionState.rawValue); put the node in maintenance first.")
        }
        if changes["local_link_connection"] != nil || changes["is_smartnic"] != nil {
            updated.localLinkConnection = try normalizedLocalLinkConnection(updated.localLinkConnection, smartNIC: updated.isSmartNIC)
            if changes["local_link_connection"] != nil { changes["local_link_connection"] = updated.localLinkConnection }
        }
        try checkPort(updated, in: aggregate, fleet: fleet)
        return [.portUpdated(uuid: uuid, changes: changes)]
    }

    static func deletePort(_ aggregate: NodeAggregate, uuid: UUID) throws(DomainError) -> [NodeEvent] {
        guard let port = aggregate.ports[uuid] else { throw .resourceNotFound(kind: "Port", id: uuid.lowercased) }
        if let vif = port.tenantVIF, !aggregate.node.maintenance {
            throw .invalidState("Port \(uuid.lowercased) has VIF \(vif) attached; detach it first, or put the node in maintenance.")
        }
        return [.portDeleted(uuid: uuid)]
    }

    static func createPortGroup(_ aggregate: NodeAggregate, uuid: UUID, fields: [String: JSONValue], fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        if fleet.node(owning: uuid) != nil || aggregate.portGroups[uuid] != nil { throw .resourceAlreadyExists(kind: "portgroup", id: uuid) }
        var fields = fields
        if let mac = try normalizedMAC(fields["address"], required: false) { fields["address"] = .string(mac) }
        let group = try ResourceFields.create(from: PortGroup(uuid: uuid, nodeUUID: aggregate.uuid), kind: "portgroup",
                                              fields: fields, allowed: groupCreatable, required: [])
        try checkGroup(group, fleet: fleet)
        return [.portGroupCreated(group: group)]
    }

    static func updatePortGroup(_ aggregate: NodeAggregate, uuid: UUID, patch: JSONValue, fleet: any FleetLookup) throws(DomainError) -> [NodeEvent] {
        guard let group = aggregate.portGroups[uuid] else { throw .resourceNotFound(kind: "Portgroup", id: uuid.lowercased) }
        var (changes, updated) = try ResourceFields.changes(applying: patch, to: group, kind: "portgroup", patchable: groupCreatable)
        guard !changes.isEmpty else { return [] }
        if changes["address"] != nil, let mac = try normalizedMAC(changes["address"], required: false) {
            changes["address"] = .string(mac)
            updated.address = mac
        }
        try checkGroup(updated, fleet: fleet)
        if !updated.standalonePortsSupported,
           let pxe = aggregate.ports.values.first(where: { $0.portGroupUUID == uuid && $0.pxeEnabled }) {
            throw .invalidState("Port group \(uuid.lowercased) can not stop supporting standalone ports while its port \(pxe.uuid.lowercased) is PXE-enabled.")
        }
        return [.portGroupUpdated(uuid: uuid, changes: changes)]
    }

    static func deletePortGroup(_ aggregate: NodeAggregate, uuid: UUID) throws(DomainError) -> [NodeEvent] {
        guard aggregate.portGroups[uuid] != nil else { throw .resourceNotFound(kind: "Portgroup", id: uuid.lowercased) }
        if aggregate.ports.values.contains(where: { $0.portGroupUUID == uuid }) { throw .portGroupNotEmpty(uuid) }
        return [.portGroupDeleted(uuid: uuid)]
    }

    private static func checkPort(_ port: Port, in aggregate: NodeAggregate, fleet: any FleetLookup) throws(DomainError) {
        if let owner = fleet.owner(ofMAC: port.address), owner != port.uuid { throw .duplicateMAC(port.address) }
        if let other = aggregate.ports.values.first(where: { $0.address == port.address && $0.uuid != port.uuid }) {
            _ = other
            throw .duplicateMAC(port.address)
        }
        try checkName(port.name)
        if let name = port.name, let owner = fleet.owner(ofPortName: name), owner != port.uuid { throw .duplicatePortName(name) }
        if let group = port.portGroupUUID {
            guard let portGroup = aggregate.portGroups[group] else {
                throw .invalidParameter("Port group \(group.lowercased) is not a port group of node \(aggregate.uuid.lowercased).")
            }
            if port.pxeEnabled, !portGroup.standalonePortsSupported {
                throw .invalidState("Port \(port.uuid.lowercased) can not be PXE-enabled in port group \(group.lowercased), which does not support standalone ports.")
            }
            if let physnet = portGroup.physicalNetwork, let own = port.physicalNetwork, physnet != own {
                throw .invalidParameter("Port \(port.uuid.lowercased) is on physical network \(own), but its port group is on \(physnet).")
            }
        }
        if let physnet = port.physicalNetwork, physnet.isEmpty || physnet.count > 64 {
            throw .invalidField("physical_network", reason: "it must be 1 to 64 characters")
        }
        for (field, limit, value) in [("description", 255, port.description), ("vendor", 32, port.vendor), ("category", 80, port.category)] {
            if let value, value.count > limit { throw .invalidField(field, reason: "it is longer than \(limit) characters") }
        }
        guard case .object = port.extra else { throw .invalidField("extra", reason: "it must be an object") }
        if let group = port.portGroupUUID, let physnet = port.physicalNetwork {
            let members = aggregate.ports.values.filter { $0.portGroupUUID == group && $0.uuid != port.uuid }
            if let other = members.first(where: { $0.physicalNetwork != nil && $0.physicalNetwork != physnet }) {
                throw .invalidState("Port \(port.uuid.lowercased) is on physical network \(physnet), but port \(other.uuid.lowercased) of the same port group is on \(other.physicalNetwork!).")
            }
        }
    }

    private static func checkGroup(_ group: PortGroup, fleet: any FleetLookup) throws(DomainError) {
        guard case .object = group.extra else { throw .invalidField("extra", reason: "it must be an object") }
        guard case .object = group.properties else { throw .invalidField("properties", reason: "it must be an object") }
        if let physnet = group.physicalNetwork, physnet.isEmpty || physnet.count > 64 {
            throw .invalidField("physical_network", reason: "it must be 1 to 64 characters")
        }
        if let category = group.category, category.count > 80 { throw .invalidField("category", reason: "it is longer than 80 characters") }
        if let address = group.address, let owner = fleet.owner(ofMAC: address), owner != group.uuid { throw .duplicateMAC(address) }
        try checkName(group.name)
        if let name = group.name, let owner = fleet.owner(ofPortName: name), owner != group.uuid { throw .duplicatePortName(name) }
    }

    /// A port's or port group's name must be addressable in a URL as `{port_ident}` is read: a
    /// logical name (RFC 3986 unreserved characters, 1 to 255 of them, as Ironic's
    /// `is_valid_logical_name`), not UUID-like (it would be read as a UUID), and not `detail` (the
    /// collections' detail path).
    static func checkName(_ name: String?) throws(DomainError) {
        guard let name else { return }
        if let problem = NodeName.logicalNameProblem(name) { throw .invalidField("name", reason: problem) }
        if Identifier.uuidLike(name) != nil { throw .invalidField("name", reason: "it looks like a UUID") }
        if name == "detail" { throw .invalidField("name", reason: "detail names the collection's detail path") }
    }

    /// `local_link_connection`: `{}`; or `switch_id` (MAC or datapath id) + `port_id`; or, for a
    /// smart NIC, `port_id` + `hostname`; or an OVN VTEP switch's `vtep-logical-switch` +
    /// `vtep-physical-switch` + `port_id`; or `network_type: unmanaged`. Returns it with the
    /// switch id normalised. (Which microversions may set the VTEP keys is the API's concern.)
    static func normalizedLocalLinkConnection(_ link: JSONValue, smartNIC: Bool) throws(DomainError) -> JSONValue {
        guard case .object(var members) = link else { throw .invalidField("local_link_connection", reason: "it must be an object") }
        if let type = members["network_type"], type != .string("managed"), type != .string("unmanaged") {
            throw .invalidField("local_link_connection", reason: "network_type must be managed or unmanaged")
        }
        if members.isEmpty || members["network_type"]?.stringValue == "unmanaged" {
            if smartNIC { throw .invalidField("local_link_connection", reason: "a smart NIC port needs port_id and hostname") }
            return link
        }
        let allowed = Set(["switch_id", "port_id", "switch_info", "network_type", "hostname"]).union(OVNVTEPLink.keys)
        for key in members.keys where !allowed.contains(key) {
            throw .invalidField("local_link_connection", reason: "\(key) is not one of \(allowed.sorted().joined(separator: ", "))")
        }
        guard members["port_id"]?.stringValue != nil else { throw .invalidField("local_link_connection", reason: "port_id is required") }
        if smartNIC {
            guard members["hostname"]?.stringValue != nil else { throw .invalidField("local_link_connection", reason: "a smart NIC port needs port_id and hostname") }
            return link
        }
        if members["hostname"] != nil, members["switch_id"] == nil { return link }
        if !OVNVTEPLink.keys.isDisjoint(with: members.keys) {
            for key in OVNVTEPLink.keys.sorted() where members[key]?.stringValue?.isEmpty ?? true {
                throw .invalidField("local_link_connection", reason: "an OVN VTEP port needs port_id, vtep-logical-switch and vtep-physical-switch (\(key) is missing)")
            }
            if members["switch_id"] == nil { return link }
        }
        guard let switchID = members["switch_id"]?.stringValue else { throw .invalidField("local_link_connection", reason: "switch_id is required") }
        do { members["switch_id"] = .string(try SwitchID(switchID).description) } catch {
            throw .invalidField("local_link_connection", reason: "\(error)")
        }
        return .object(members)
    }

    static func normalizedMAC(_ value: JSONValue?, required: Bool) throws(DomainError) -> String? {
        guard let value, value != .null else {
            if required { throw .missingParameter("address") }
            return nil
        }
        guard let text = value.stringValue else { throw .invalidField("address", reason: "it must be a string") }
        do { return try MACAddress(text).description } catch { throw .invalidField("address", reason: "\(error)") }
    }
}
