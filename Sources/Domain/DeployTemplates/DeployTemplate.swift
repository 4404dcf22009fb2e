import Foundation

/// A named set of deploy steps (Ironic's deploy template, API 1.55).
///
/// Its name is a trait. A node deployed with that trait in its `instance_info.traits` — which an
/// allocation with the trait sets — runs the template's steps among its deploy steps. Its life
/// is the stream `deploy-template/<uuid>`.
public struct DeployTemplate: Sendable, Hashable, Codable {
    public var uuid: UUID
    /// A standard or `CUSTOM_` trait name, unique among templates.
    public var name: String
    /// At least one step; no two with the same interface and step name.
    public var steps: [DeployTemplateStep]
    public var extra: JSONValue = .emptyObject
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// A template with these fields.
    public init(uuid: UUID, name: String, steps: [DeployTemplateStep], extra: JSONValue = .emptyObject) {
        self.uuid = uuid
        self.name = name
        self.steps = steps
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case uuid, name, steps, extra
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One step of a deploy template: which interface runs which step, with what arguments, at which
/// priority (0 disables the step).
public struct DeployTemplateStep: Sendable, Hashable, Codable {
    public var interface: String
    public var step: String
    public var args: JSONValue
    public var priority: Int

    /// A step with these fields.
    public init(interface: String, step: String, args: JSONValue = .emptyObject, priority: Int) {
        self.interface = interface
        self.step = step
        self.args = args
        self.priority = priority
    }

    /// The interfaces whose steps a template may name (Ironic's `DEPLOYING_INTERFACE_PRIORITY`).
    public static let interfaces: Set<String> = ["deploy", "bios", "raid", "management", "power", "vendor", "firmware"]

    /// The step as JSON, as the API and deploy step events show it.
    public var json: JSONValue {
        ["interface": .string(interface), "step": .string(step), "args": args, "priority": .number(Double(priority))]
    }
}

/// The stream of a deploy template and back.
public enum DeployTemplateStream {
    /// The prefix of every deploy template stream.
    public static let prefix = "deploy-template/"

    /// `deploy-template/<uuid>`.
    public static func id(_ uuid: UUID) -> String { prefix + uuid.lowercased }

    /// The template UUID of a stream id, if it is a deploy template stream.
    public static func template(of streamID: String) -> UUID? {
        guard streamID.hasPrefix(prefix) else { return nil }
        return UUID(canonical: streamID.dropFirst(prefix.count))
    }
}
