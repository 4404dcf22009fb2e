import Foundation

/// The rules for a managed switch: a logical name, a `switch_id` that is a MAC address or an
/// OpenFlow datapath id (normalized), driver `ovs`, an OVSDB address `unix:/absolute/path` or
/// `tcp:HOST:PORT`, and a bridge name. The name's and switch id's uniqueness is checked by the
/// engine.
public enum ManagedSwitchDecider {
    /// The fields a switch body may carry (`uuid` apart).
    public static let fields: Set<String> = ["name", "switch_id", "driver", "ovsdb", "bridge"]

    /// `POST /v1/switches`: the body's fields by wire name (`uuid` already taken out).
    public static func create(uuid: UUID, fields: [String: JSONValue]) throws(DomainError) -> [ManagedSwitchEvent] {
        for key in fields.keys.sorted() where !Self.fields.contains(key) {
            throw .invalidField(key, reason: "it is not a field of a switch; the fields are \(Self.fields.sorted().joined(separator: ", "))")
        }
        let name = try required("name", fields)
        try NetworkDecider.checkName(name)
        let rawSwitchID = try required("switch_id", fields)
        let switchID: String
        do { switchID = try SwitchID(rawSwitchID).value } catch { throw .invalidField("switch_id", reason: "\(error)") }
        var driver = "ovs"
        if let given = fields["driver"], given != .null { driver = try required("driver", ["driver": given]) }
        guard ManagedSwitch.drivers.contains(driver) else {
            throw .invalidField("driver", reason: "\(driver) is not one of \(ManagedSwitch.drivers.sorted().joined(separator: ", "))")
        }
        let ovsdb = try required("ovsdb", fields)
        if let problem = ovsdbProblem(ovsdb) { throw .invalidField("ovsdb", reason: problem) }
        let bridge = try required("bridge", fields)
        guard !bridge.isEmpty, bridge.count <= 64, !bridge.contains(where: { $0.isWhitespace || $0 == "=" || $0 == "," }) else {
            throw .invalidField("bridge", reason: "it must be 1 to 64 characters without spaces, = or ,")
        }
        return [.switchCreated(managedSwitch: ManagedSwitch(uuid: uuid, name: name, switchID: switchID, driver: driver, ovsdb: ovsdb, bridge: bridge))]
    }

    /// `DELETE /v1/switches/{ident}`: refused (409) while node ports are recorded on one of its
    /// ports on a network (`users` names them).
    public static func delete(_ managedSwitch: ManagedSwitch, users: [String]) throws(DomainError) -> [ManagedSwitchEvent] {
        guard users.isEmpty else {
            throw .invalidState("Switch \(managedSwitch.name) has ports on networks (\(users.sorted().joined(separator: ", "))); "
                + "move the nodes off them (undeploy, or detach their VIFs) before deleting it.")
        }
        return [.switchDeleted]
    }

    /// Why `address` is not an OVSDB address Ironlog can reach, or `nil`.
    static func ovsdbProblem(_ address: String) -> String? {
        if address.hasPrefix("unix:") {
            let path = address.dropFirst(5)
            return path.hasPrefix("/") && path.count > 1 ? nil : "a unix: address needs an absolute socket path"
        }
        if address.hasPrefix("tcp:") {
            let rest = address.dropFirst(4)
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port),
                  colon > rest.startIndex else {
                return "a tcp: address is tcp:HOST:PORT"
            }
            return nil
        }
        return "it must be unix:/path/to/db.sock or tcp:HOST:PORT"
    }

    private static func required(_ key: String, _ fields: [String: JSONValue]) throws(DomainError) -> String {
        guard let value = fields[key], value != .null else { throw .missingParameter(key) }
        guard let text = value.stringValue, !text.isEmpty else { throw .invalidField(key, reason: "it must be a non-empty string") }
        return text
    }
}
