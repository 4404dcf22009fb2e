import Foundation

/// The rules for a configured network: a logical name, a VLAN id of 1 to 4094, a physical
/// network of at most 64 characters; not deleted while a VIF or a switch port uses it. The name's
/// uniqueness is checked by the engine, inside the writer's transaction.
public enum NetworkDecider {
    /// The fields a network body may carry (`uuid` apart).
    public static let fields: Set<String> = ["name", "vlan", "physical_network"]

    /// `POST /v1/networks`: the body's fields by wire name (`uuid` already taken out).
    public static func create(uuid: UUID, fields: [String: JSONValue]) throws(DomainError) -> [NetworkRecordEvent] {
        for key in fields.keys.sorted() where !Self.fields.contains(key) {
            throw .invalidField(key, reason: "it is not a field of a network; the fields are \(Self.fields.sorted().joined(separator: ", "))")
        }
        guard let nameValue = fields["name"], nameValue != .null else { throw .missingParameter("name") }
        guard let name = nameValue.stringValue else { throw .invalidField("name", reason: "it must be a string") }
        try checkName(name)
        guard let vlanValue = fields["vlan"], vlanValue != .null else { throw .missingParameter("vlan") }
        guard let number = vlanValue.numberValue, let vlan = Int(exactly: number), Network.vlanRange.contains(vlan) else {
            throw .invalidField("vlan", reason: "it must be an integer from \(Network.vlanRange.lowerBound) to \(Network.vlanRange.upperBound)")
        }
        var physicalNetwork: String?
        switch fields["physical_network"] {
        case nil, .null?: break
        case .string(let text)?:
            guard !text.isEmpty, text.count <= 64 else { throw .invalidField("physical_network", reason: "it must be 1 to 64 characters") }
            physicalNetwork = text
        default: throw .invalidField("physical_network", reason: "it must be a string")
        }
        return [.networkCreated(network: Network(uuid: uuid, name: name, vlan: vlan, physicalNetwork: physicalNetwork))]
    }

    /// A name the API can address beside UUIDs: a logical name, not UUID-like.
    static func checkName(_ name: String) throws(DomainError) {
        if let problem = NodeName.logicalNameProblem(name) { throw .invalidField("name", reason: problem) }
        if Identifier.uuidLike(name) != nil { throw .invalidField("name", reason: "it looks like a UUID") }
    }

    /// `DELETE /v1/networks/{ident}`: refused (409) while `users` — VIFs bound to it, switch ports
    /// on it, phases it serves — name it.
    public static func delete(_ network: Network, users: [String]) throws(DomainError) -> [NetworkRecordEvent] {
        guard users.isEmpty else {
            throw .invalidState("Network \(network.name) is in use by \(users.sorted().joined(separator: ", ")); it can not be deleted.")
        }
        return [.networkDeleted]
    }
}
