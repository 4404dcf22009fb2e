import Domain
import Foundation

/// A port as Ironic's API shows it at one microversion: wire names, fields newer than the version
/// left out, and links.
struct PortRepresentation {
    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String
    /// The request's microversion.
    let version: MicroVersion

    /// The port's document: `fields` if given (plus `links`), else every field the version shows.
    func document(_ port: Domain.Port, fields: [String]? = nil) -> JSONValue {
        let values = Self.values(port)
        var document: [String: JSONValue] = [:]
        for name in fields ?? PortFieldVersions.fields(at: version) {
            guard let minor = PortFieldVersions.introduced[name], version.allows(minor) else { continue }
            document[name] = values[name] ?? .null
        }
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: "ports/\(port.uuid.lowercased)")
        return .object(document)
    }

    /// Every field of the port by wire name, whatever the version.
    static func values(_ port: Domain.Port) -> [String: JSONValue] {
        [
            "uuid": .string(port.uuid.lowercased), "address": .string(port.address),
            "node_uuid": .string(port.nodeUUID.lowercased), "extra": port.extra,
            "created_at": Timestamp.json(port.createdAt), "updated_at": Timestamp.json(port.updatedAt),
            "internal_info": port.internalInfo, "local_link_connection": port.localLinkConnection,
            "pxe_enabled": .bool(port.pxeEnabled),
            "portgroup_uuid": port.portGroupUUID.map { .string($0.lowercased) } ?? .null,
            "physical_network": port.physicalNetwork.map(JSONValue.string) ?? .null,
            "is_smartnic": .bool(port.isSmartNIC), "name": port.name.map(JSONValue.string) ?? .null,
            "description": port.description.map(JSONValue.string) ?? .null,
            "vendor": port.vendor.map(JSONValue.string) ?? .null, "category": port.category.map(JSONValue.string) ?? .null,
            "available_for_dynamic_portgroup": .bool(port.availableForDynamicPortGroup ?? false),
        ]
    }
}
