import Domain
import Foundation

/// The runbook fields (1.92; `description` and `traits` 1.112) and how a runbook is shown, with
/// its `links`.
struct RunbookRepresentation {
    /// Every field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = [
        "uuid": 92, "name": 92, "steps": 92, "disable_ramdisk": 92, "public": 92, "owner": 92, "extra": 92,
        "created_at": 92, "updated_at": 92, "description": 112, "traits": 112,
    ]
    /// What a list shows without `detail` or `fields` (plus `links`).
    static let listDefault = ["uuid", "name"]
    /// Fields that can not be sorted on.
    static let structured: Set<String> = ["steps", "extra", "traits"]
    /// Fields PATCH may not change.
    static let readOnly: Set<String> = ["uuid", "created_at", "updated_at", "traits"]

    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String
    /// The request's version: fields newer than it are not shown.
    let version: MicroVersion

    /// The runbook's document: `fields` if given (plus `links`), else every field the version shows.
    func document(_ runbook: Runbook, fields: [String]? = nil) -> JSONValue {
        let values = Self.values(runbook)
        var document: [String: JSONValue] = [:]
        for name in fields ?? Self.introduced.filter({ version.allows($0.value) }).keys.sorted() { document[name] = values[name] ?? .null }
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: "runbooks/\(runbook.uuid.lowercased)")
        return .object(document)
    }

    /// Every field of the runbook by wire name; step arguments with secrets masked.
    static func values(_ runbook: Runbook) -> [String: JSONValue] {
        [
            "uuid": .string(runbook.uuid.lowercased), "name": .string(runbook.name),
            "steps": .array(runbook.steps.map { step in
                var shown = step
                shown.args = StepArgumentMasking.masked(step.args)
                return shown.json
            }),
            "disable_ramdisk": .bool(runbook.disableRamdisk), "public": .bool(runbook.isPublic),
            "owner": runbook.owner.map(JSONValue.string) ?? .null, "description": runbook.description.map(JSONValue.string) ?? .null,
            "traits": .array(runbook.traits.map(JSONValue.string)), "extra": runbook.extra,
            "created_at": Timestamp.json(runbook.createdAt), "updated_at": Timestamp.json(runbook.updatedAt),
        ]
    }
}

extension ListedResource {
    /// Runbooks (`/v1/runbooks`): filters `owner` and `public`.
    static let runbooks = ListedResource(fields: RunbookRepresentation.introduced, structured: RunbookRepresentation.structured,
                                         filters: ["owner": 92, "public": 92])
}
