import Foundation

/// The instance's network metadata in OpenStack's `network_data.json` format, built from the
/// node's bindings: what a config drive's `openstack/latest/network_data.json` holds.
///
/// - `links`: a `phy` link per port that carries a VIF or belongs to a port group that does
///   (its MAC, the VIF as `vif_id`), and a `bond` link per port group carrying a VIF, with its
///   members as `bond_links`, its `mode` as `bond_mode` and its `properties` (`miimon`,
///   `xmit_hash_policy`…) as `bond_<name>`.
/// - `networks`: one `ipv4_dhcp` network per bound VIF on its link, `network_id` the configured
///   network's UUID (or the VIF when it was bound without a network), `vlan_id` its VLAN for
///   reference. There are no `vlan` links: the switch port is an access port, so the instance's
///   frames go out untagged and the switch puts them on the VLAN.
/// - `services`: none; DNS comes with DHCP.
///
/// A node whose `network_data` field is set keeps that instead, as Ironic does.
public enum NetworkData {
    /// The document for `aggregate`, looking networks up by name in `networks`.
    public static func document(for aggregate: NodeAggregate, networks: [String: Network]) -> JSONValue {
        if case .object(let given) = aggregate.node.networkData, !given.isEmpty { return aggregate.node.networkData }
        var links: [JSONValue] = [], entries: [JSONValue] = []
        let ports = aggregate.ports.values.sorted { $0.address < $1.address }
        func network(_ vif: String, _ networkName: String?, link: String) {
            let configured = networkName.flatMap { networks[$0] }
            var entry: [String: JSONValue] = [
                "id": .string("network-\(vif)"), "type": "ipv4_dhcp", "link": .string(link),
                "network_id": .string(configured?.uuid.lowercased ?? vif),
            ]
            if let configured { entry["vlan_id"] = .number(Double(configured.vlan)) }
            entries.append(.object(entry))
        }
        for group in aggregate.portGroups.values.sorted(by: { $0.uuid.uuidString < $1.uuid.uuidString }) {
            guard let vif = group.tenantVIF else { continue }
            let members = ports.filter { $0.portGroupUUID == group.uuid }
            for port in members { links.append(phy(port, vif: nil)) }
            var bond: [String: JSONValue] = [
                "id": .string("bond-\(group.uuid.lowercased)"), "type": "bond", "vif_id": .string(vif),
                "bond_links": .array(members.map { JSONValue.string("port-\($0.uuid.lowercased)") }), "bond_mode": .string(group.mode),
                "ethernet_mac_address": .string(group.address ?? members.first?.address ?? ""),
            ]
            let properties: [String: JSONValue] = group.properties.objectValue ?? [:]
            for (name, value) in properties { bond["bond_\(name)"] = value }
            links.append(.object(bond))
            network(vif, group.internalInfo["tenant_network"]?.stringValue, link: "bond-\(group.uuid.lowercased)")
        }
        for port in ports {
            guard let vif = port.tenantVIF else { continue }
            links.append(phy(port, vif: vif))
            network(vif, port.internalInfo["tenant_network"]?.stringValue, link: "port-\(port.uuid.lowercased)")
        }
        return .object(["links": .array(links), "networks": .array(entries), "services": .array([])])
    }

    private static func phy(_ port: Port, vif: String?) -> JSONValue {
        var link: [String: JSONValue] = ["id": .string("port-\(port.uuid.lowercased)"), "type": "phy", "ethernet_mac_address": .string(port.address)]
        if let vif { link["vif_id"] = .string(vif) }
        return .object(link)
    }
}
