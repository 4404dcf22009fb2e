import Domain
import Foundation

/// The fleet's VIFs and configured networks in the shape of OpenStack Networking (Neutron) v2.0
/// documents, for clients that read them — metalsmith asks Neutron for an instance's ports
/// (`binding:host_id` = the node) and their networks whenever it shows a deployed instance.
///
/// A port is a VIF attached with a configured network (`network` in the attach request): its `id`
/// is the VIF, `network_id` the network's UUID, `mac_address` the address of the Ironic port (or
/// port group) carrying it, `binding:host_id` the node's UUID and `device_id` the node's
/// `instance_uuid`. A VIF attached without a network belongs to no network and is not listed.
/// Ironlog does no address management: `fixed_ips` is always empty.
struct NeutronView {
    /// The fleet's nodes (deleted ones are skipped).
    let nodes: [NodeAggregate]
    /// The configured networks.
    let networks: [Network]

    /// Every port, ordered by node, then VIF.
    var ports: [JSONValue] {
        let byName = Dictionary(networks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var documents: [JSONValue] = []
        for aggregate in nodes where !aggregate.deleted {
            var bound: [(vif: String, network: String?, mac: String?)] = []
            for port in aggregate.ports.values {
                if let vif = port.tenantVIF { bound.append((vif, port.internalInfo["tenant_network"]?.stringValue, port.address)) }
            }
            for group in aggregate.portGroups.values {
                if let vif = group.tenantVIF {
                    let member = aggregate.ports.values.filter { $0.portGroupUUID == group.uuid }.map(\.address).sorted().first
                    bound.append((vif, group.internalInfo["tenant_network"]?.stringValue, group.address ?? member))
                }
            }
            for binding in bound.sorted(by: { $0.vif < $1.vif }) {
                guard let network = binding.network.flatMap({ byName[$0] }) else { continue }
                documents.append(Self.port(vif: binding.vif, network: network, mac: binding.mac, node: aggregate.node))
            }
        }
        return documents
    }

    /// A port's document.
    static func port(vif: String, network: Network, mac: String?, node: Node) -> JSONValue {
        [
            "id": .string(vif), "name": "", "network_id": .string(network.uuid.lowercased),
            "mac_address": mac.map(JSONValue.string) ?? .null, "fixed_ips": [], "status": "ACTIVE", "admin_state_up": true,
            "device_id": .string((node.instanceUUID ?? node.uuid).lowercased), "device_owner": "baremetal:none",
            "binding:host_id": .string(node.uuid.lowercased), "binding:vnic_type": "baremetal",
        ]
    }

    /// A network's document.
    static func network(_ network: Network) -> JSONValue {
        [
            "id": .string(network.uuid.lowercased), "name": .string(network.name), "status": "ACTIVE", "admin_state_up": true,
            "shared": false, "subnets": [], "provider:network_type": "vlan",
            "provider:segmentation_id": .number(Double(network.vlan)),
            "provider:physical_network": network.physicalNetwork.map(JSONValue.string) ?? .null,
        ]
    }
}
