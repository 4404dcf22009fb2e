import Foundation

/// What a node's inspection rules do to it: the rules whose conditions hold on the inspection
/// data, highest priority first, each action turned into an effect the engine records as an
/// event on the node. Pure: given the node, its data and the rules, always the same effects.
public struct InspectionRulePlan: Sendable, Hashable {
    /// One action's effect.
    public enum Effect: Sendable, Hashable {
        /// A JSON Patch on the node (`set-attribute`, `extend-attribute`, `del-attribute`,
        /// `set-capability`, `unset-capability`).
        case updateNode(patch: JSONValue)
        /// `add-trait`.
        case addTrait(String)
        /// `remove-trait`.
        case removeTrait(String)
        /// A JSON Patch on one of the node's ports (`set-/extend-/del-port-attribute`).
        case updatePort(UUID, patch: JSONValue)
        /// The plugin data after `set-/extend-/unset-plugin-data`.
        case setPluginData(JSONValue)
        /// `log`: a message for the engine's log.
        case log(level: String, message: String)
        /// `fail`: inspection fails with this message; nothing after it runs.
        case fail(String)
        /// An action that could not apply (its reason); the others still do, as in Ironic.
        case skipped(String)
    }

    /// One applied action.
    public struct Step: Sendable, Hashable {
        /// The rule it belongs to.
        public var rule: UUID
        /// The action's `op`.
        public var op: String
        /// What it does.
        public var effect: Effect
    }

    /// The actions, in the order they apply.
    public var steps: [Step] = []

    /// The plan for `rules` on `node` with its `ports`, given the inspection's `inventory` and
    /// `pluginData`. Only rules of the `main` phase run; ties in priority go by creation.
    public init(rules: [InspectionRule], node: Node, ports: [Port], inventory: JSONValue, pluginData: JSONValue) {
        var state = State(node: (try? ResourcePatching.document(of: node)) ?? .emptyObject, traits: Set(node.traits), pluginData: pluginData,
                          ports: Dictionary(uniqueKeysWithValues: ports.map { ($0.uuid, (try? ResourcePatching.document(of: $0)) ?? .emptyObject) }))
        let ordered = rules.filter { $0.phase == "main" }.sorted {
            ($0.priority, -$0.createdAt, $1.uuid.uuidString) > ($1.priority, -$1.createdAt, $0.uuid.uuidString)
        }
        for rule in ordered {
            let context: [String: JSONValue] = ["node": state.node, "inventory": inventory, "plugin_data": state.pluginData]
            guard InspectionRuleConditions.allHold(rule.conditions, context) else { continue }
            for action in rule.actions {
                let items: [JSONValue?]
                switch action["loop"] {
                case .array(let list)? where !list.isEmpty: items = list
                case .object(let members)? where !members.isEmpty: items = [action["loop"]]
                default: items = [nil]
                }
                for item in items {
                    var scoped: [String: JSONValue] = ["node": state.node, "inventory": inventory, "plugin_data": state.pluginData]
                    if let item { scoped["item"] = item }
                    let effect = state.apply(action, scoped)
                    steps.append(Step(rule: rule.uuid, op: action["op"]?.stringValue ?? "", effect: effect))
                    if case .fail = effect { return }
                }
            }
        }
    }

    /// The node, traits, plugin data and ports as the actions so far left them.
    private struct State {
        var node: JSONValue
        var traits: Set<String>
        var pluginData: JSONValue
        var ports: [UUID: JSONValue]

        mutating func apply(_ action: JSONValue, _ context: [String: JSONValue]) -> Effect {
            guard let op = action["op"]?.stringValue, let signature = InspectionRuleOperators.actions[op] else { return .skipped("unknown action") }
            let named: [String: JSONValue]
            do { named = try InspectionRuleOperators.normalized(action["args"] ?? .emptyObject, signature) } catch { return .skipped(error.description) }
            let args = named.mapValues { InspectionRuleFormatting.interpolated($0, context) }
            let text = { (name: String) in args[name].map(InspectionRuleFormatting.pythonString) ?? "" }
            let unique = args["unique"]?.boolValue ?? false
            switch op {
            case "fail": return .fail(text("msg"))
            case "log": return .log(level: text("level").isEmpty ? "info" : text("level").lowercased(), message: text("msg"))
            case "add-trait":
                traits.insert(text("name"))
                return .addTrait(text("name"))
            case "remove-trait":
                traits.remove(text("name"))
                return .removeTrait(text("name"))
            case "set-attribute", "extend-attribute", "del-attribute":
                guard let patch = Self.patch(&node, path: text("path"), op: op, value: args["value"], unique: unique) else {
                    return .skipped("Failed to \(op) \(text("path")) on the node")
                }
                return .updateNode(patch: patch)
            case "set-capability", "unset-capability":
                var properties = node["properties"]?.objectValue ?? [:]
                var capabilities = Self.capabilities(properties["capabilities"]?.stringValue ?? "")
                capabilities.removeAll { $0.name == text("name") }
                if op == "set-capability" { capabilities.append((text("name"), text("value"))) }
                let joined = capabilities.map { "\($0.name):\($0.value)" }.joined(separator: ",")
                if joined.isEmpty { properties.removeValue(forKey: "capabilities") } else { properties["capabilities"] = .string(joined) }
                node = Self.setting(node, "properties", .object(properties))
                return .updateNode(patch: [["op": "add", "path": "/properties", "value": .object(properties)]])
            case "set-plugin-data", "extend-plugin-data", "unset-plugin-data":
                let keys = text("path").split(separator: ".").map(String.init)
                guard !keys.isEmpty else { return .skipped("plugin data path is empty") }
                var value = args["value"] ?? .null
                if op == "extend-plugin-data" {
                    var list = Self.value(pluginData, at: keys)?.arrayValue ?? []
                    if !unique || !list.contains(value) { list.append(value) }
                    value = .array(list)
                }
                pluginData = Self.updated(pluginData, at: keys[...], to: op == "unset-plugin-data" ? nil : value)
                return .setPluginData(pluginData)
            default:
                guard op.hasSuffix("port-attribute") else { return .skipped("the \(op) action is not supported by this server") }
                guard let port = UUID(canonical: text("port_id")[...]), var document = ports[port] else {
                    return .skipped("Port \(text("port_id")) could not be found.")
                }
                let nodeOp = String(op.dropLast("port-attribute".count)) + "attribute"
                guard let patch = Self.patch(&document, path: text("path"), op: nodeOp, value: args["value"], unique: unique) else {
                    return .skipped("Failed to \(op) \(text("path")) on port \(port.lowercased)")
                }
                ports[port] = document
                return .updatePort(port, patch: patch)
            }
        }

        /// The patch that sets, extends or deletes `path` in `document` (and applies it there):
        /// nested paths replace their top-level field, created as an object where missing.
        static func patch(_ document: inout JSONValue, path: String, op: String, value: JSONValue?, unique: Bool) -> JSONValue? {
            let parts = path.split(separator: "/").map(String.init)
            guard let top = parts.first else { return nil }
            var target: JSONValue?
            switch op {
            case "set-attribute":
                target = parts.count == 1 ? value ?? .null : updated(document[top] ?? .emptyObject, at: parts.dropFirst(), to: value ?? .null)
            case "extend-attribute":
                var list = (parts.count == 1 ? document[top] : self.value(document[top] ?? .null, at: Array(parts.dropFirst())))?.arrayValue
                if list == nil, (parts.count == 1 ? document[top] : self.value(document[top] ?? .null, at: Array(parts.dropFirst())))?.isNull == false { return nil }
                list = list ?? []
                if !unique || !list!.contains(value ?? .null) { list!.append(value ?? .null) }
                target = parts.count == 1 ? .array(list!) : updated(document[top] ?? .emptyObject, at: parts.dropFirst(), to: .array(list!))
            default:
                if parts.count == 1 {
                    document = setting(document, top, nil)
                    return [["op": "remove", "path": .string("/\(top)")]]
                }
                guard self.value(document[top] ?? .null, at: Array(parts.dropFirst())) != nil else { return nil }
                target = updated(document[top] ?? .emptyObject, at: parts.dropFirst(), to: nil)
            }
            guard let target else { return nil }
            document = setting(document, top, target)
            return [["op": "add", "path": .string("/\(top)"), "value": target]]
        }

        static func setting(_ document: JSONValue, _ key: String, _ value: JSONValue?) -> JSONValue {
            var members = document.objectValue ?? [:]
            members[key] = value
            return .object(members)
        }

        static func value(_ document: JSONValue, at keys: [String]) -> JSONValue? {
            var current = document
            for key in keys {
                guard let next = current[key] else { return nil }
                current = next
            }
            return current
        }

        /// `document` with the member at `keys` set to `value` (removed for `nil`), creating
        /// objects on the way.
        static func updated(_ document: JSONValue, at keys: ArraySlice<String>, to value: JSONValue?) -> JSONValue {
            guard let key = keys.first else { return value ?? .null }
            var members = document.objectValue ?? [:]
            if keys.count == 1 {
                members[key] = value
            } else {
                members[key] = updated(members[key] ?? .emptyObject, at: keys.dropFirst(), to: value)
            }
            return .object(members)
        }

        static func capabilities(_ text: String) -> [(name: String, value: String)] {
            text.split(separator: ",").compactMap { pair in
                let parts = pair.split(separator: ":", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }
        }
    }
}
