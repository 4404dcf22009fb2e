import Domain
import Foundation

/// A port group as Ironic's API shows it at one microversion, with its `links` and — in a full
/// document — the `ports` link to its members.
struct PortGroupRepresentation {
    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String
    /// The request's microversion.
    let version: MicroVersion

    /// The group's document: `fields` if given (plus `links`), else every field the version shows
    /// and the `ports` link.
    func document(_ group: PortGroup, fields: [String]? = nil) -> JSONValue {
        let values = Self.values(group)
        var document: [String: JSONValue] = [:]
        for name in fields ?? PortGroupFieldVersions.fields(at: version) {
            guard let minor = PortGroupFieldVersions.introduced[name], version.allows(minor) else { continue }
            document[name] = values[name] ?? .null
        }
        let path = "portgroups/\(group.uuid.lowercased)"
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: path)
        if fields == nil, version.allows(24) { document["ports"] = ResourceLinks.pair(baseURL: baseURL, path: "\(path)/ports") }
        return .object(document)
    }

    /// Every field of the group by wire name, whatever the version.
    static func values(_ group: PortGroup) -> [String: JSONValue] {
        [
            "uuid": .string(group.uuid.lowercased), "address": group.address.map(JSONValue.string) ?? .null,
            "name": group.name.map(JSONValue.string) ?? .null, "node_uuid": .string(group.nodeUUID.lowercased),
            "extra": group.extra, "internal_info": group.internalInfo,
            "standalone_ports_supported": .bool(group.standalonePortsSupported),
            "created_at": Timestamp.json(group.createdAt), "updated_at": Timestamp.json(group.updatedAt),
            "mode": .string(group.mode), "properties": group.properties,
            "physical_network": group.physicalNetwork.map(JSONValue.string) ?? .null,
            "category": group.category.map(JSONValue.string) ?? .null,
            "dynamic_portgroup": .bool(group.dynamicPortGroup ?? false),
        ]
    }
}
