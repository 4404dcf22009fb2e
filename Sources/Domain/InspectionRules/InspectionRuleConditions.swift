import Foundation

/// Evaluates a rule's conditions on the inspection data, as Ironic's operators do
/// (`operators.py`): each condition, inverted by a leading `!` on its `op` or by `invert`, and
/// over a `loop` combined by `multiple` (`any`, the default; `all`, `first`, `last`).
public enum InspectionRuleConditions {
    /// Whether every condition holds in `context` (`node`, `inventory`, `plugin_data`).
    public static func allHold(_ conditions: [JSONValue], _ context: [String: JSONValue]) -> Bool {
        conditions.allSatisfy { holds($0, context) }
    }

    /// Whether one condition holds, its loop and inversion considered.
    public static func holds(_ condition: JSONValue, _ context: [String: JSONValue]) -> Bool {
        let items: [JSONValue]
        switch condition["loop"] {
        case .array(let list)? where !list.isEmpty: items = list
        case .object(let members)? where !members.isEmpty: items = [condition["loop"]!]
        default: return check(condition, context)
        }
        let multiple = condition["multiple"]?.stringValue ?? "any"
        var results: [Bool] = []
        for item in items {
            var scoped = context
            scoped["item"] = item
            let result = check(condition, scoped, forceStrings: true)
            if multiple == "first", result { return true }
            results.append(result)
        }
        switch multiple {
        case "all": return results.allSatisfy { $0 }
        case "last": return results.last ?? false
        case "first": return false
        default: return results.contains(true)
        }
    }

    private static func check(_ condition: JSONValue, _ context: [String: JSONValue], forceStrings: Bool = false) -> Bool {
        guard var op = condition["op"]?.stringValue else { return false }
        var inverted = condition["invert"]?.boolValue ?? false
        if op.hasPrefix("!") { op.removeFirst(); inverted.toggle() }
        guard let signature = InspectionRuleOperators.conditions[op],
              var args = try? InspectionRuleOperators.normalized(condition["args"] ?? .emptyObject, signature) else { return false }
        for (name, value) in args where name != "regex" { args[name] = InspectionRuleFormatting.interpolated(value, context) }
        let result = evaluate(op, args, forceStrings: forceStrings || args["force_strings"]?.boolValue == true)
        return inverted ? !result : result
    }

    private static func evaluate(_ op: String, _ args: [String: JSONValue], forceStrings: Bool) -> Bool {
        let value = args["value"] ?? .null
        switch op {
        case "eq", "lt", "gt":
            guard case .array(var values)? = args["values"] else { return false }
            if forceStrings { values = values.map { .string(InspectionRuleFormatting.pythonString($0)) } }
            guard values.count >= 2 else { return true }
            return zip(values, values.dropFirst()).allSatisfy { left, right in
                switch op {
                case "eq": return equal(left, right)
                case "lt": return order(left, right) == .orderedAscending
                default: return order(left, right) == .orderedDescending
                }
            }
        case "is-empty": return ["", "None", "[]", "{}"].contains(InspectionRuleFormatting.pythonString(value))
        case "is-none": return InspectionRuleFormatting.pythonString(value) == "None"
        case "is-true":
            switch value {
            case .bool(let flag): return flag
            case .number(let number): return number != 0
            case .string(let text): return ["yes", "true"].contains(text.lowercased())
            default: return false
            }
        case "is-false":
            switch value {
            case .bool(let flag): return !flag
            case .number(let number): return number == 0
            case .string(let text): return ["no", "false"].contains(text.lowercased())
            case .null: return true
            default: return false
            }
        case "one-of": return (args["values"]?.arrayValue ?? []).contains { equal($0, value) }
        case "matches", "contains":
            guard let regex = args["regex"]?.stringValue else { return false }
            let pattern = op == "matches" ? "^(?:\(regex))$" : regex
            guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
            let text = InspectionRuleFormatting.pythonString(value)
            return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        case "in-net":
            guard let address = args["address"]?.stringValue, let subnet = args["subnet"]?.stringValue else { return false }
            return IPNetwork(subnet)?.contains(address) ?? false
        default:
            return false
        }
    }

    private static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.bool(let a), .number(let b)), (.number(let b), .bool(let a)): return (a ? 1 : 0) == b
        default: return left == right
        }
    }

    private static func order(_ left: JSONValue, _ right: JSONValue) -> ComparisonResult? {
        switch (left, right) {
        case (.number(let a), .number(let b)): return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        case (.string(let a), .string(let b)):
            let (x, y) = (Array(a.unicodeScalars.map(\.value)), Array(b.unicodeScalars.map(\.value)))
            return x.lexicographicallyPrecedes(y) ? .orderedAscending : y.lexicographicallyPrecedes(x) ? .orderedDescending : .orderedSame
        default: return nil
        }
    }
}

/// An IPv4 or IPv6 network (`10.0.0.0/8`, `fd00::/64`, or one address) for `in-net`.
struct IPNetwork {
    let bytes: [UInt8]
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let bytes = Self.address(String(first)) else { return nil }
        let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let prefix, prefix >= 0, prefix <= bytes.count * 8 else { return nil }
        self.bytes = bytes
        self.prefix = prefix
    }

    func contains(_ text: String) -> Bool {
        guard let other = Self.address(text), other.count == bytes.count else { return false }
        for bit in 0..<prefix where (bytes[bit / 8] ^ other[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 { return false }
        return true
    }

    /// The address's bytes: 4 for IPv4, 16 for IPv6.
    static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
