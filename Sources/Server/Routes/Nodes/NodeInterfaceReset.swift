import Domain
import Drivers
import Hummingbird

/// `PATCH /v1/nodes/{id}?reset_interfaces=true` (1.45): a patch that changes the node's `driver`
/// also resets every `<kind>_interface` it does not set itself to the new hardware type's
/// default (Ironic's `reset_interfaces`). Without a driver change it is refused with 400.
enum NodeInterfaceReset {
    /// The microversion that adds `reset_interfaces`.
    static let minor = 45

    /// `patch` with a `replace` of each interface the new driver defaults, when `reset` asks for it.
    static func expand(_ patch: JSONValue, reset: Bool, registry: DriverRegistry) throws -> JSONValue {
        guard reset, case .array(var operations) = patch else { return patch }
        var driver: String?
        var explicit: [HardwareInterfaceKind: String] = [:]
        for operation in operations {
            guard let path = operation["path"]?.stringValue, let op = operation["op"]?.stringValue else { continue }
            if path == "/driver", op != "remove" { driver = operation["value"]?.stringValue }
            for kind in HardwareInterfaceKind.allCases where path == "/" + kind.fieldName {
                explicit[kind] = operation["value"]?.stringValue ?? ""
            }
        }
        guard let driver else {
            throw IronicError.badRequest("The reset_interfaces parameter can be provided only when changing the node's driver.")
        }
        for (kind, name) in registry.defaults(for: driver, except: explicit).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            operations.append(["op": "replace", "path": .string("/" + kind.fieldName), "value": .string(name)])
        }
        return .array(operations)
    }
}
