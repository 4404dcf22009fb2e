import Foundation

/// Ironic's rules for a chassis: a `description` of at most 255 characters and an `extra`
/// object; it can not be deleted while nodes name it in their `chassis_uuid`.
public enum ChassisDecider {
    /// The fields a chassis body may carry (`uuid` apart).
    public static let fields: Set<String> = ["description", "extra"]

    /// `POST /v1/chassis`: the body's fields by wire name (`uuid` already taken out).
    public static func create(uuid: UUID, fields: [String: JSONValue]) throws(DomainError) -> [ChassisEvent] {
        for key in fields.keys where !Self.fields.contains(key) {
            throw .invalidField(key, reason: "it is not a field of a chassis")
        }
        let chassis = Chassis(uuid: uuid, description: try description(fields["description"]), extra: try extra(fields["extra"]))
        return [.chassisCreated(chassis: chassis)]
    }

    /// `PATCH /v1/chassis/{uuid}`: a JSON Patch on `description` and `extra` (also inside it).
    public static func update(_ chassis: Chassis, patch: JSONValue) throws(DomainError) -> [ChassisEvent] {
        let operations: JSONPatch
        do { operations = try JSONPatch(json: patch) } catch { throw .invalidParameter("\(error)") }
        for field in operations.touchedTopLevelFields where !Self.fields.contains(field) {
            throw .invalidParameter("The attribute /\(field) of a chassis can not be patched; patchable attributes are: description, extra.")
        }
        var current: [String: JSONValue] = ["extra": chassis.extra]
        if let text = chassis.description { current["description"] = .string(text) }
        let patched: JSONValue
        do { patched = try operations.apply(to: .object(current)) } catch { throw .invalidParameter("\(error)") }
        let newDescription = try description(patched["description"])
        let newExtra = try extra(patched["extra"])
        var changes: [String: JSONValue] = [:]
        if newDescription != chassis.description { changes["description"] = newDescription.map(JSONValue.string) ?? .null }
        if newExtra != chassis.extra { changes["extra"] = newExtra }
        return changes.isEmpty ? [] : [.chassisUpdated(changes: changes)]
    }

    /// `DELETE /v1/chassis/{uuid}`: refused (Ironic's `ChassisNotEmpty`, 400) while `nodes` name it.
    public static func delete(_ chassis: Chassis, nodes: Int) throws(DomainError) -> [ChassisEvent] {
        guard nodes == 0 else { throw .chassisNotEmpty(chassis.uuid) }
        return [.chassisDeleted]
    }

    private static func description(_ value: JSONValue?) throws(DomainError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?:
            guard text.count <= Chassis.maximumDescriptionLength else {
                throw .invalidField("description", reason: "it is longer than \(Chassis.maximumDescriptionLength) characters")
            }
            return text
        default: throw .invalidField("description", reason: "it must be a string")
        }
    }

    private static func extra(_ value: JSONValue?) throws(DomainError) -> JSONValue {
        switch value {
        case nil, .null?: return .emptyObject
        case .object?: return value!
        default: throw .invalidField("extra", reason: "it must be an object")
        }
    }
}
