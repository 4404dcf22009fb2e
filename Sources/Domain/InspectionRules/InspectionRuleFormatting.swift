import Foundation

/// Ironic formats rule arguments with Python's `str.format`: `"{inventory[cpu][count]}"` is
/// replaced by that value of the inventory, `{node.driver_info[ipmi_address]}` by the node's,
/// `{item[path]}` by a loop item's. A placeholder that does not resolve leaves the whole string
/// as it was (Ironic logs a warning and goes on); `{{` and `}}` are literal braces. A string
/// that is nothing but one placeholder becomes the value itself, of its own type.
public enum InspectionRuleFormatting {
    /// `value` with every string in it formatted against `context` (names → documents).
    public static func interpolated(_ value: JSONValue, _ context: [String: JSONValue]) -> JSONValue {
        switch value {
        case .string(let text):
            // A string that is one placeholder keeps the value's type (Ironlog's choice; Python
            // would make it a string), so `{inventory[cpu][count]}` compares as a number.
            if text.hasPrefix("{"), text.hasSuffix("}"), !text.hasPrefix("{{"), text.dropFirst().dropLast().allSatisfy({ $0 != "{" && $0 != "}" }),
               let value = resolve(String(text.dropFirst().dropLast()), context) {
                return value
            }
            return .string(format(text, context))
        case .array(let items): return .array(items.map { interpolated($0, context) })
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members { result[format(key, context)] = interpolated(member, context) }
            return .object(result)
        default: return value
        }
    }

    /// One string formatted, or the string itself if any placeholder does not resolve.
    public static func format(_ text: String, _ context: [String: JSONValue]) -> String {
        guard text.contains("{") || text.contains("}") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{" {
                if next < text.endIndex, text[next] == "{" { output.append("{"); index = text.index(after: next); continue }
                guard let close = text[next...].firstIndex(of: "}"), let value = resolve(String(text[next..<close]), context) else { return text }
                output += pythonString(value)
                index = text.index(after: close)
            } else if character == "}" {
                guard next < text.endIndex, text[next] == "}" else { return text }
                output.append("}")
                index = text.index(after: next)
            } else {
                output.append(character)
                index = next
            }
        }
        return output
    }

    /// The value a field expression names: a root name, then `[key]` or `.attribute` lookups.
    static func resolve(_ expression: String, _ context: [String: JSONValue]) -> JSONValue? {
        let rootEnd = expression.firstIndex { $0 == "[" || $0 == "." } ?? expression.endIndex
        guard var current = context[String(expression[..<rootEnd])] else { return nil }
        var rest = expression[rootEnd...]
        while let first = rest.first {
            let key: Substring
            if first == "[" {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                key = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
            } else if first == "." {
                let body = rest.dropFirst()
                let end = body.firstIndex { $0 == "[" || $0 == "." } ?? body.endIndex
                key = body[..<end]
                rest = body[end...]
            } else {
                return nil
            }
            switch current {
            case .object(let members): guard let member = members[String(key)] else { return nil }; current = member
            case .array(let items): guard let position = Int(key), items.indices.contains(position) else { return nil }; current = items[position]
            default: return nil
            }
        }
        return current
    }

    /// How Python's `str()` shows a JSON value: `True`, `None`, `8`, `8.5`, `['a', 1]`, `{'a': 1}`.
    public static func pythonString(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        default: return pythonRepresentation(value)
        }
    }

    private static func pythonRepresentation(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return "\(number)"
        case .string(let text): return "'\(text)'"
        case .array(let items): return "[" + items.map(pythonRepresentation).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { "'\($0.key)': \(pythonRepresentation($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
