/// Ironic's built-in condition operators and actions, by name, with the arguments each takes
/// (`ironic/common/inspection_rules/{operators,actions}.py`). Arguments may be given as an
/// object, or as a list matched to the required then optional arguments in order (a list of
/// plain values for `eq`, `lt` and `gt` is their `values`).
public enum InspectionRuleOperators {
    /// The arguments an operator or action takes.
    public struct Signature: Sendable, Hashable {
        /// Arguments that must be given, in positional order.
        public var required: [String]
        /// Arguments that may be given.
        public var optional: [String] = []
    }

    /// Condition operators (each may be inverted with a leading `!`).
    public static let conditions: [String: Signature] = [
        "eq": Signature(required: ["values"], optional: ["force_strings"]),
        "lt": Signature(required: ["values"], optional: ["force_strings"]),
        "gt": Signature(required: ["values"], optional: ["force_strings"]),
        "is-empty": Signature(required: ["value"]),
        "in-net": Signature(required: ["address", "subnet"]),
        "matches": Signature(required: ["value", "regex"]),
        "contains": Signature(required: ["value", "regex"]),
        "one-of": Signature(required: ["value"], optional: ["values"]),
        "is-none": Signature(required: ["value"]),
        "is-true": Signature(required: ["value"]),
        "is-false": Signature(required: ["value"]),
    ]

    /// Actions.
    public static let actions: [String: Signature] = [
        "fail": Signature(required: ["msg"]),
        "log": Signature(required: ["msg"], optional: ["level"]),
        "set-attribute": Signature(required: ["path", "value"]),
        "extend-attribute": Signature(required: ["path", "value"], optional: ["unique"]),
        "del-attribute": Signature(required: ["path"]),
        "set-capability": Signature(required: ["name", "value"]),
        "unset-capability": Signature(required: ["name"]),
        "add-trait": Signature(required: ["name"]),
        "remove-trait": Signature(required: ["name"]),
        "set-plugin-data": Signature(required: ["path", "value"]),
        "extend-plugin-data": Signature(required: ["path", "value"], optional: ["unique"]),
        "unset-plugin-data": Signature(required: ["path"]),
        "set-port-attribute": Signature(required: ["port_id", "path", "value"]),
        "extend-port-attribute": Signature(required: ["port_id", "path", "value"], optional: ["unique"]),
        "del-port-attribute": Signature(required: ["port_id", "path"]),
        "api-call": Signature(required: ["url"], optional: ["headers", "proxies", "timeout", "retries", "backoff_factor"]),
    ]

    /// `args` as an object: a list is matched to the required then optional arguments in order.
    /// Throws a reason when arguments are missing, unexpected, or neither a list nor an object.
    public static func normalized(_ args: JSONValue, _ signature: Signature) throws(InspectionRuleArgumentError) -> [String: JSONValue] {
        var named: [String: JSONValue]
        switch args {
        case .object(let members):
            named = members
        case .array(let items) where signature.required == ["values"] && items.first?.arrayValue == nil:
            // `eq`, `lt`, `gt` given their values directly (`[a, b]`): Ironlog reads the list as
            // `values`, where Ironic would take `a` as the list and `b` as `force_strings`.
            named = ["values": args]
        case .array(let items):
            if items.count < signature.required.count {
                throw InspectionRuleArgumentError("Not enough arguments provided. Missing: \(signature.required[items.count...].joined(separator: ", "))")
            }
            let names = signature.required + signature.optional
            if items.count > names.count { throw InspectionRuleArgumentError("too many arguments: \(items.count) given, at most \(names.count)") }
            named = Dictionary(uniqueKeysWithValues: zip(names, items).map { ($0, $1) })
        default:
            throw InspectionRuleArgumentError("args must be either a list or dictionary")
        }
        var problems: [String] = []
        let missing = signature.required.filter { named[$0] == nil }
        let unexpected = named.keys.filter { !signature.required.contains($0) && !signature.optional.contains($0) }.sorted()
        if !missing.isEmpty { problems.append("missing required argument(s): \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { problems.append("unexpected argument(s): \(unexpected.joined(separator: ", "))") }
        if !problems.isEmpty { throw InspectionRuleArgumentError(problems.joined(separator: "; ")) }
        return named
    }
}

/// Why an operator's or action's arguments were refused.
public struct InspectionRuleArgumentError: Error, Sendable, CustomStringConvertible {
    /// The reason, in Ironic's words.
    public let description: String
    init(_ description: String) { self.description = description }
}
