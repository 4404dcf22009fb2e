import Foundation

/// Ironic's rules for runbooks: the name is a trait (from 1.112 any name of unreserved URL
/// characters), there is at least one step, each step names a cleaning interface, has `args`
/// (an object) and an `order` of 0 or more, and no interface and step appear twice. A public
/// runbook has no owner. Name uniqueness spans runbooks: the engine checks it.
public enum RunbookDecider {
    /// The members a body may set; `description` only from 1.112 (the route checks the version).
    public static let writableFields: Set<String> = ["name", "steps", "disable_ramdisk", "extra", "public", "owner", "description"]

    /// `POST /v1/runbooks`: the body's fields by wire name (`uuid` already taken out).
    /// `anyName` relaxes the name to any logical name (1.112).
    public static func create(uuid: UUID, fields: [String: JSONValue], anyName: Bool = false) throws(DomainError) -> [RunbookEvent] {
        for key in fields.keys.sorted() where !writableFields.contains(key) {
            throw .invalidField(key, reason: "it is not a field of a runbook")
        }
        let runbook = try validated(Runbook(
            uuid: uuid,
            name: try name(fields["name"]),
            steps: try steps(fields["steps"]),
            disableRamdisk: try flag(fields["disable_ramdisk"], "disable_ramdisk"),
            isPublic: try flag(fields["public"], "public"),
            owner: try text(fields["owner"], "owner"),
            description: try text(fields["description"], "description"),
            extra: try extra(fields["extra"])
        ), anyName: anyName)
        return [.runbookCreated(runbook: runbook)]
    }

    /// `PATCH /v1/runbooks/{id}`: a JSON Patch on the writable fields (also inside `steps`, e.g.
    /// `/steps/0/order`); the result is validated as a new runbook would be.
    public static func update(_ runbook: Runbook, patch: JSONValue, anyName: Bool = false) throws(DomainError) -> [RunbookEvent] {
        let operations: JSONPatch
        do { operations = try JSONPatch(json: patch) } catch { throw .invalidParameter("\(error)") }
        let patchable = anyName ? writableFields : writableFields.subtracting(["description"])
        for field in operations.touchedTopLevelFields where !patchable.contains(field) {
            throw .invalidParameter("The attribute /\(field) of a runbook can not be patched; patchable attributes are: \(patchable.sorted().joined(separator: ", ")).")
        }
        let current = document(runbook)
        let patched: JSONValue
        do { patched = try operations.apply(to: current) } catch { throw .invalidParameter("\(error)") }
        var updated = runbook
        updated.name = try name(patched["name"])
        updated.steps = try steps(patched["steps"])
        updated.disableRamdisk = try flag(patched["disable_ramdisk"], "disable_ramdisk")
        updated.isPublic = try flag(patched["public"], "public")
        updated.owner = try text(patched["owner"], "owner")
        updated.description = try text(patched["description"], "description")
        updated.extra = try extra(patched["extra"])
        updated = try validated(updated, anyName: anyName)
        let before = document(runbook), after = document(updated)
        var changes: [String: JSONValue] = [:]
        for field in writableFields where before[field] != after[field] { changes[field] = after[field] ?? .null }
        return changes.isEmpty ? [] : [.runbookUpdated(changes: changes)]
    }

    /// `PUT /v1/runbooks/{id}/traits` and friends (1.112): the runbook's traits become `traits`.
    public static func setTraits(_ runbook: Runbook, traits: [String]) throws(DomainError) -> [RunbookEvent] {
        for trait in traits {
            do { _ = try NodeTrait(trait) } catch { throw .invalidParameter("Invalid trait \(trait): \(error)") }
        }
        let unique = Array(Set(traits)).sorted()
        return unique == runbook.traits ? [] : [.runbookUpdated(changes: ["traits": .array(unique.map(JSONValue.string))])]
    }

    /// `DELETE /v1/runbooks/{id}`.
    public static func delete(_ runbook: Runbook) -> [RunbookEvent] { [.runbookDeleted] }

    /// The writable fields of `runbook` as the patch document sees them.
    static func document(_ runbook: Runbook) -> JSONValue {
        [
            "name": .string(runbook.name), "steps": .array(runbook.steps.map(\.json)), "disable_ramdisk": .bool(runbook.disableRamdisk),
            "public": .bool(runbook.isPublic), "owner": runbook.owner.map(JSONValue.string) ?? .null,
            "description": runbook.description.map(JSONValue.string) ?? .null, "extra": runbook.extra,
        ]
    }

    private static func validated(_ runbook: Runbook, anyName: Bool) throws(DomainError) -> Runbook {
        if anyName {
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
            guard !runbook.name.isEmpty, runbook.name.count <= 255, runbook.name.allSatisfy(allowed.contains) else {
                throw .invalidParameter("Runbook name must be 1 to 255 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~': \(runbook.name)")
            }
        } else {
            do { _ = try NodeTrait(runbook.name) } catch {
                throw .invalidParameter("Runbook name must be a valid trait: \(error)")
            }
        }
        if let owner = runbook.owner, owner.count > 255 { throw .invalidField("owner", reason: "it is longer than 255 characters") }
        if let description = runbook.description, description.count > 255 {
            throw .invalidField("description", reason: "it is longer than 255 characters")
        }
        if runbook.isPublic, runbook.owner != nil {
            throw .invalidParameter("A runbook with an owner can not be public; remove the owner or leave public false.")
        }
        guard !runbook.steps.isEmpty else {
            throw .invalidParameter("No runbook steps specified. A runbook must have at least one step.")
        }
        var seen: Set<String> = [], duplicates: [String] = []
        for step in runbook.steps {
            let key = "interface: \(step.interface), step: \(step.step)"
            if !seen.insert(key).inserted { duplicates.append(key) }
        }
        if !duplicates.isEmpty {
            throw .invalidParameter("Duplicate runbook steps. A runbook cannot have multiple steps with the same interface and step. Duplicates: \(duplicates.joined(separator: "; "))")
        }
        return runbook
    }

    private static func name(_ value: JSONValue?) throws(DomainError) -> String {
        guard let value, value != .null else { throw .missingParameter("name") }
        guard case .string(let name) = value else { throw .invalidField("name", reason: "it must be a string") }
        return name
    }

    private static func flag(_ value: JSONValue?, _ field: String) throws(DomainError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let flag)?: return flag
        default: throw .invalidField(field, reason: "it must be a boolean")
        }
    }

    private static func text(_ value: JSONValue?, _ field: String) throws(DomainError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw .invalidField(field, reason: "it must be a string")
        }
    }

    private static func extra(_ value: JSONValue?) throws(DomainError) -> JSONValue {
        switch value {
        case nil, .null?: return .emptyObject
        case .object?: return value!
        default: throw .invalidField("extra", reason: "it must be an object")
        }
    }

    private static func steps(_ value: JSONValue?) throws(DomainError) -> [RunbookStep] {
        guard let value, value != .null else { throw .missingParameter("steps") }
        guard case .array(let items) = value else { throw .invalidField("steps", reason: "it must be a list") }
        var steps: [RunbookStep] = []
        for item in items {
            guard case .object(let members) = item else { throw .invalidField("steps", reason: "each step must be an object") }
            for key in members.keys.sorted() where !["interface", "step", "args", "order"].contains(key) {
                throw .invalidField("steps", reason: "\(key) is not a field of a runbook step")
            }
            guard case .string(let interface)? = members["interface"] else { throw .missingParameter("steps.interface") }
            guard RunbookStep.interfaces.contains(interface) else {
                throw .invalidField("steps", reason: "interface \(interface) is not one of \(RunbookStep.interfaces.sorted().joined(separator: ", "))")
            }
            guard case .string(let name)? = members["step"], !name.isEmpty else { throw .missingParameter("steps.step") }
            guard let args = members["args"] else { throw .missingParameter("steps.args") }
            guard case .object = args else { throw .invalidField("steps", reason: "args must be an object") }
            guard let order = members["order"] else { throw .missingParameter("steps.order") }
            guard case .number(let number) = order, number >= 0, number == number.rounded(), number < 1e9 else {
                throw .invalidField("steps", reason: "order must be an integer of 0 or more")
            }
            steps.append(RunbookStep(interface: interface, step: name, args: args, order: Int(number)))
        }
        return steps
    }
}
