import Domain
import Foundation

/// The deploy template fields (all from 1.55) and how a template is shown, with its `links`.
struct DeployTemplateRepresentation {
    /// Every field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = ["uuid": 55, "name": 55, "steps": 55, "extra": 55, "created_at": 55, "updated_at": 55]
    /// What a list shows without `detail` or `fields` (plus `links`).
    static let listDefault = ["uuid", "name"]
    /// Fields that can not be sorted on.
    static let structured: Set<String> = ["steps", "extra"]
    /// Fields PATCH may not change.
    static let readOnly: Set<String> = ["uuid", "created_at", "updated_at"]

    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String

    /// The template's document: `fields` if given (plus `links`), else every field.
    func document(_ template: DeployTemplate, fields: [String]? = nil) -> JSONValue {
        let values = Self.values(template)
        var document: [String: JSONValue] = [:]
        for name in fields ?? Self.introduced.keys.sorted() { document[name] = values[name] ?? .null }
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: "deploy_templates/\(template.uuid.lowercased)")
        return .object(document)
    }

    /// Every field of the template by wire name.
    static func values(_ template: DeployTemplate) -> [String: JSONValue] {
        [
            "uuid": .string(template.uuid.lowercased), "name": .string(template.name),
            "steps": .array(template.steps.map { step in
                var shown = step
                shown.args = StepArgumentMasking.masked(step.args)
                return shown.json
            }), "extra": template.extra,
            "created_at": Timestamp.json(template.createdAt), "updated_at": Timestamp.json(template.updatedAt),
        ]
    }
}

extension ListedResource {
    /// Deploy templates (`/v1/deploy_templates`): no filters.
    static let deployTemplates = ListedResource(fields: DeployTemplateRepresentation.introduced,
                                                structured: DeployTemplateRepresentation.structured, filters: [:])
}
