import Foundation

/// A rule applied to a node's inspection data when inspection ends (Ironic's inspection rule,
/// API 1.96): if every condition holds on the inventory and plugin data, its actions change the
/// node. Its life is the stream `inspection-rule/<uuid>`.
///
/// Conditions and actions are kept as their normalised JSON (`op`, `args`, and `invert`,
/// `loop`, `multiple` where given), checked against Ironic's operators and actions when the rule
/// is written (see ``InspectionRuleOperators``).
public struct InspectionRule: Sendable, Hashable, Codable {
    /// Its identity, and the stream it lives in.
    public var uuid: UUID
    /// Free text (at most 255 characters).
    public var description: String?
    /// When the rule runs; Ironic has one phase, `main`.
    public var phase: String = "main"
    /// Rules with a higher priority run first (0–9999).
    public var priority: Int = 0
    /// A sensitive rule never shows its conditions and actions, and stays sensitive.
    public var sensitive: Bool = false
    /// Each `{"op", "args", "invert"?, "loop"?, "multiple"?}`; all must hold.
    public var conditions: [JSONValue] = []
    /// Each `{"op", "args", "loop"?}`; at least one.
    public var actions: [JSONValue]
    /// When it was created (microseconds since the epoch), from its first event.
    public var createdAt: Int64 = 0
    /// When it last changed, if it has.
    public var updatedAt: Int64?

    /// A rule with these fields.
    public init(uuid: UUID, description: String? = nil, phase: String = "main", priority: Int = 0, sensitive: Bool = false,
                conditions: [JSONValue] = [], actions: [JSONValue]) {
        self.uuid = uuid
        self.description = description
        self.phase = phase
        self.priority = priority
        self.sensitive = sensitive
        self.conditions = conditions
        self.actions = actions
    }

    enum CodingKeys: String, CodingKey {
        case uuid, description, phase, priority, sensitive, conditions, actions
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// The stream of an inspection rule and back.
public enum InspectionRuleStream {
    /// The prefix of every inspection rule stream.
    public static let prefix = "inspection-rule/"

    /// `inspection-rule/<uuid>`.
    public static func id(_ uuid: UUID) -> String { prefix + uuid.lowercased }

    /// The rule UUID of a stream id, if it is an inspection rule stream.
    public static func rule(of streamID: String) -> UUID? {
        guard streamID.hasPrefix(prefix) else { return nil }
        return UUID(canonical: streamID.dropFirst(prefix.count))
    }
}
