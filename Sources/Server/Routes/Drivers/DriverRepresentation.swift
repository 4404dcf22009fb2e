import Domain
import Drivers

/// A hardware type as Ironic's driver API shows it (facts §2.7): its name, the conductors that
/// have it, `type: dynamic` (1.30), links, the `properties` link (1.14), and in detail (1.30) each
/// interface kind's default and enabled implementations.
struct DriverRepresentation {
    /// Where links point.
    let baseURL: String
    /// The request's microversion.
    let version: MicroVersion
    /// This conductor's host name.
    let host: String
    /// The conductor's drivers.
    let registry: DriverRegistry

    /// The hardware type's document; `detail` adds the interfaces.
    func document(_ type: HardwareType, detail: Bool) -> JSONValue {
        var document: [String: JSONValue] = [
            "name": .string(type.name), "hosts": [.string(host)],
            "links": ResourceLinks.pair(baseURL: baseURL, path: "drivers/\(type.name)"),
        ]
        if version.allows(14) { document["properties"] = ResourceLinks.pair(baseURL: baseURL, path: "drivers/\(type.name)/properties") }
        if version.allows(30) {
            document["type"] = "dynamic"
            if detail {
                for kind in HardwareInterfaceKind.allCases where version.allows(Self.introduced(kind)) {
                    document["default_\(kind.rawValue)_interface"] = registry.defaultInterface(kind, for: type.name).map(JSONValue.string) ?? .null
                    document["enabled_\(kind.rawValue)_interfaces"] = .array(registry.available(kind, for: type.name).map(JSONValue.string))
                }
            }
        }
        return .object(document)
    }

    /// The driver_info properties the type's default interfaces read, with their descriptions.
    func properties(_ type: HardwareType) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for kind in HardwareInterfaceKind.allCases {
            guard let name = registry.defaultInterface(kind, for: type.name), let implementation = registry.implementation(kind, name) else { continue }
            for property in implementation.properties {
                properties[property.name] = .string(property.description + (property.required ? " Required." : ""))
            }
        }
        return .object(properties)
    }

    /// The version from which a kind's interface shows in a driver's detail: 1.30, or the node
    /// field's version if later (storage 1.33, rescue 1.38, bios 1.40, firmware 1.86).
    static func introduced(_ kind: HardwareInterfaceKind) -> Int {
        let field = NodeFieldVersions.introduced["\(kind.rawValue)_interface"] ?? 30
        return field > 31 ? field : 30
    }
}
