import Foundation

/// A named, ordered list of steps that manual cleaning or servicing runs instead of steps given
/// in the request (Ironic's runbook, API 1.92).
///
/// Its name is a trait: a node may run the runbook only if it carries that trait (or, from
/// 1.112, one of the runbook's own traits) — the operator's approval of the runbook for the
/// node. Its life is the stream `runbook/<uuid>`.
public struct Runbook: Sendable, Hashable, Codable {
    /// Its identity, and the stream it lives in.
    public var uuid: UUID
    /// Unique among runbooks; a standard or `CUSTOM_` trait name.
    public var name: String
    /// At least one step; no two with the same interface and step name.
    public var steps: [RunbookStep]
    /// Run the steps without booting the ramdisk (out-of-band steps only).
    public var disableRamdisk: Bool = false
    /// Usable on any node with the matching trait, whatever its project.
    public var isPublic: Bool = false
    /// The project the runbook belongs to, if any.
    public var owner: String?
    /// Free text (shown from 1.112).
    public var description: String?
    /// Further traits that approve the runbook for a node (1.112).
    public var traits: [String] = []
    /// Free-form operator data.
    public var extra: JSONValue = .emptyObject
    /// When it was created (microseconds since the epoch), from its first event.
    public var createdAt: Int64 = 0
    /// When it last changed, if it has.
    public var updatedAt: Int64?

    /// A runbook with these fields.
    public init(uuid: UUID, name: String, steps: [RunbookStep], disableRamdisk: Bool = false, isPublic: Bool = false,
                owner: String? = nil, description: String? = nil, traits: [String] = [], extra: JSONValue = .emptyObject) {
        self.uuid = uuid
        self.name = name
        self.steps = steps
        self.disableRamdisk = disableRamdisk
        self.isPublic = isPublic
        self.owner = owner
        self.description = description
        self.traits = traits
        self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case uuid, name, steps, owner, description, traits, extra
        case disableRamdisk = "disable_ramdisk"
        case isPublic = "public"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The steps in the order they run: by `order`, then as listed.
    public var orderedSteps: [RunbookStep] {
        steps.enumerated().sorted { $0.element.order != $1.element.order ? $0.element.order < $1.element.order : $0.offset < $1.offset }.map(\.element)
    }
}

/// One step of a runbook: which interface runs which step, with what arguments, and where in
/// the runbook it runs (`order`, lowest first).
public struct RunbookStep: Sendable, Hashable, Codable {
    /// The interface kind that runs it (`bios`, `raid`, …).
    public var interface: String
    /// The step's name on that interface.
    public var step: String
    /// Its arguments (an object).
    public var args: JSONValue
    /// Where it runs in the runbook: lowest first.
    public var order: Int

    /// A step with these fields.
    public init(interface: String, step: String, args: JSONValue = .emptyObject, order: Int) {
        self.interface = interface
        self.step = step
        self.args = args
        self.order = order
    }

    /// The interfaces whose steps a runbook may name (Ironic's cleaning and servicing interfaces).
    public static let interfaces: Set<String> = ["deploy", "bios", "raid", "management", "power", "vendor", "firmware"]

    /// The step as JSON, as the API shows it.
    public var json: JSONValue {
        ["interface": .string(interface), "step": .string(step), "args": args, "order": .number(Double(order))]
    }

    /// The step as a clean or service step request (`interface`, `step`, `args`).
    public var requested: JSONValue {
        ["interface": .string(interface), "step": .string(step), "args": args]
    }
}

/// The stream of a runbook and back.
public enum RunbookStream {
    /// The prefix of every runbook stream.
    public static let prefix = "runbook/"

    /// `runbook/<uuid>`.
    public static func id(_ uuid: UUID) -> String { prefix + uuid.lowercased }

    /// The runbook UUID of a stream id, if it is a runbook stream.
    public static func runbook(of streamID: String) -> UUID? {
        guard streamID.hasPrefix(prefix) else { return nil }
        return UUID(canonical: streamID.dropFirst(prefix.count))
    }
}
