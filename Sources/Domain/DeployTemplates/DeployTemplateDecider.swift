import Foundation

/// Ironic's rules for deploy templates: the name is a trait, there is at least one step, each
/// step names a deploy-capable interface, has `args` (an object) and a priority of 0 or more,
/// and no interface and step appear twice. Name uniqueness spans templates: the engine checks it.
public enum DeployTemplateDecider {
    /// `POST /v1/deploy_templates`: the body's fields by wire name (`uuid` already taken out).
    public static func create(uuid: UUID, fields: [String: JSONValue]) throws(DomainError) -> [DeployTemplateEvent] {
        for key in fields.keys where !["name", "steps", "extra"].contains(key) {
            throw .invalidField(key, reason: "it is not a field of a deploy template")
        }
        let template = try validated(DeployTemplate(
            uuid: uuid,
            name: try name(fields["name"]),
            steps: try steps(fields["steps"]),
            extra: try extra(fields["extra"])
        ))
        return [.deployTemplateCreated(template: template)]
    }

    /// `PATCH /v1/deploy_templates/{id}`: a JSON Patch on `name`, `steps` (also inside, e.g.
    /// `/steps/0/priority`) and `extra`; the result is validated as a new template would be.
    public static func update(_ template: DeployTemplate, patch: JSONValue) throws(DomainError) -> [DeployTemplateEvent] {
        let operations: JSONPatch
        do { operations = try JSONPatch(json: patch) } catch { throw .invalidParameter("\(error)") }
        for field in operations.touchedTopLevelFields where !["name", "steps", "extra"].contains(field) {
            throw .invalidParameter("The attribute /\(field) of a deploy template can not be patched; patchable attributes are: extra, name, steps.")
        }
        let current: JSONValue = ["name": .string(template.name), "steps": .array(template.steps.map(\.json)), "extra": template.extra]
        let patched: JSONValue
        do { patched = try operations.apply(to: current) } catch { throw .invalidParameter("\(error)") }
        var updated = template
        updated.name = try name(patched["name"])
        updated.steps = try steps(patched["steps"])
        updated.extra = try extra(patched["extra"])
        updated = try validated(updated)
        var changes: [String: JSONValue] = [:]
        if updated.name != template.name { changes["name"] = .string(updated.name) }
        if updated.steps != template.steps { changes["steps"] = .array(updated.steps.map(\.json)) }
        if updated.extra != template.extra { changes["extra"] = updated.extra }
        return changes.isEmpty ? [] : [.deployTemplateUpdated(changes: changes)]
    }

    /// `DELETE /v1/deploy_templates/{id}`.
    public static func delete(_ template: DeployTemplate) -> [DeployTemplateEvent] { [.deployTemplateDeleted] }

    private static func validated(_ template: DeployTemplate) throws(DomainError) -> DeployTemplate {
        do { _ = try NodeTrait(template.name) } catch {
            throw .invalidParameter("Deploy template name must be a valid trait: \(error)")
        }
        guard !template.steps.isEmpty else {
            throw .invalidParameter("No deploy steps specified. A deploy template must have at least one deploy step.")
        }
        var seen: Set<String> = [], duplicates: [String] = []
        for step in template.steps {
            let key = "interface: \(step.interface), step: \(step.step)"
            if !seen.insert(key).inserted { duplicates.append(key) }
        }
        if !duplicates.isEmpty {
            throw .invalidParameter("Duplicate deploy steps. A deploy template cannot have multiple deploy steps with the same interface and step. Duplicates: \(duplicates.joined(separator: "; "))")
        }
        return template
    }

    private static func name(_ value: JSONValue?) throws(DomainError) -> String {
        guard let value, value != .null else { throw .missingParameter("name") }
        guard case .string(let name) = value else { throw .invalidField("name", reason: "it must be a string") }
        return name
    }

    private static func extra(_ value: JSONValue?) throws(DomainError) -> JSONValue {
        switch value {
        case nil, .null?: return .emptyObject
        case .object?: return value!
        default: throw .invalidField("extra", reason: "it must be an object")
        }
    }

    private static func steps(_ value: JSONValue?) throws(DomainError) -> [DeployTemplateStep] {
        guard let value, value != .null else { throw .missingParameter("steps") }
        guard case .array(let items) = value else { throw .invalidField("steps", reason: "it must be a list") }
        var steps: [DeployTemplateStep] = []
        for item in items {
            guard case .object(let members) = item else { throw .invalidField("steps", reason: "each step must be an object") }
            for key in members.keys where !["interface", "step", "args", "priority"].contains(key) {
                throw .invalidField("steps", reason: "\(key) is not a field of a deploy step")
            }
            guard case .string(let interface)? = members["interface"] else { throw .missingParameter("steps.interface") }
            guard DeployTemplateStep.interfaces.contains(interface) else {
                throw .invalidField("steps", reason: "interface \(interface) is not one of \(DeployTemplateStep.interfaces.sorted().joined(separator: ", "))")
            }
            guard case .string(let name)? = members["step"], !name.isEmpty else { throw .missingParameter("steps.step") }
            guard let args = members["args"] else { throw .missingParameter("steps.args") }
            guard case .object = args else { throw .invalidField("steps", reason: "args must be an object") }
            guard case .number(let number)? = members["priority"], number >= 0, number == number.rounded(), number < 1e9 else {
                throw .invalidField("steps", reason: "priority must be an integer of 0 or more")
            }
            steps.append(DeployTemplateStep(interface: interface, step: name, args: args, priority: Int(number)))
        }
        return steps
    }
}
