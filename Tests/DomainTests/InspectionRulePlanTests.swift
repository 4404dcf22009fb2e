import Domain
import Foundation
import Testing

@Suite("Inspection rules: conditions, formatting and the plan of actions")
struct InspectionRulePlanTests {
    static let inventory: JSONValue = [
        "cpu": ["count": 8, "architecture": "x86_64"], "memory": ["physical_mb": 16384],
        "system_vendor": ["manufacturer": "Dell Inc."], "bmc_address": "192.0.2.10",
        "interfaces": [["name": "eth0", "mac_address": "52:54:00:00:00:01"], ["name": "eth1", "mac_address": "52:54:00:00:00:02"]],
    ]
    static let context: [String: JSONValue] = ["inventory": inventory, "plugin_data": [:], "node": ["driver_info": ["a": "b"]]]

    static func holds(_ condition: JSONValue) -> Bool { InspectionRuleConditions.holds(condition, context) }

    static func rule(priority: Int = 0, conditions: [JSONValue] = [], actions: [JSONValue]) throws -> InspectionRule {
        guard case .inspectionRuleCreated(let rule)? = try InspectionRuleDecider.create(uuid: UUID(), fields: [
            "priority": .number(Double(priority)), "conditions": .array(conditions), "actions": .array(actions),
        ]).first else { throw DomainError.invalidState("not created") }
        return rule
    }

    @Test("formatting: Python str.format field names, whole placeholders keep their type, unresolved strings stay as they are")
    func formatting() {
        #expect(InspectionRuleFormatting.format("{inventory[system_vendor][manufacturer]} / {node.driver_info[a]}", Self.context) == "Dell Inc. / b")
        #expect(InspectionRuleFormatting.interpolated("{inventory[cpu][count]}", Self.context) == 8)
        #expect(InspectionRuleFormatting.format("cpus={inventory[cpu][count]}", Self.context) == "cpus=8")
        #expect(InspectionRuleFormatting.format("{inventory[nope]} x", Self.context) == "{inventory[nope]} x")
        #expect(InspectionRuleFormatting.format("{{literal}}", Self.context) == "{literal}")
        #expect(InspectionRuleFormatting.pythonString(["a": true, "b": .null]) == "{'a': True, 'b': None}")
    }

    @Test("operators: eq, lt, gt, is-empty, in-net, matches, contains, one-of, is-true/false/none, inversion, loops")
    func operators() {
        #expect(Self.holds(["op": "eq", "args": ["{inventory[cpu][architecture]}", "x86_64"]]))
        #expect(!Self.holds(["op": "eq", "args": ["values": ["{inventory[cpu][count]}", "8"]]]))
        #expect(Self.holds(["op": "eq", "args": ["values": ["{inventory[cpu][count]}", "8"], "force_strings": true]]))
        #expect(Self.holds(["op": "lt", "args": ["values": [1, "{inventory[cpu][count]}", 16]]]))
        #expect(Self.holds(["op": "gt", "args": ["values": ["{inventory[memory][physical_mb]}", 8192]]]))
        #expect(Self.holds(["op": "is-empty", "args": ["value": "{plugin_data}"]]))
        #expect(Self.holds(["op": "in-net", "args": ["address": "{inventory[bmc_address]}", "subnet": "192.0.2.0/24"]]))
        #expect(!Self.holds(["op": "in-net", "args": ["address": "{inventory[bmc_address]}", "subnet": "198.51.100.0/24"]]))
        #expect(Self.holds(["op": "in-net", "args": ["address": "2001:db8::1", "subnet": "2001:db8::/32"]]))
        #expect(Self.holds(["op": "matches", "args": ["value": "{inventory[system_vendor][manufacturer]}", "regex": "Dell.*"]]))
        #expect(!Self.holds(["op": "matches", "args": ["value": "{inventory[system_vendor][manufacturer]}", "regex": "Dell"]]))
        #expect(Self.holds(["op": "contains", "args": ["value": "{inventory[system_vendor][manufacturer]}", "regex": "(?i)dell"]]))
        #expect(Self.holds(["op": "one-of", "args": ["value": "{inventory[cpu][architecture]}", "values": ["aarch64", "x86_64"]]]))
        #expect(Self.holds(["op": "is-true", "args": ["value": "Yes"]]) && Self.holds(["op": "is-false", "args": ["value": .null]]))
        #expect(Self.holds(["op": "is-none", "args": ["value": .null]]))
        #expect(Self.holds(["op": "!eq", "args": [1, 2]]) && Self.holds(["op": "eq", "args": [1, 2], "invert": true]))
        let loop: JSONValue = ["op": "contains", "args": ["value": "{item}", "regex": "eth1"], "loop": ["eth0", "eth1"]]
        #expect(Self.holds(loop))
        var all = loop.objectValue!
        all["multiple"] = "all"
        #expect(!Self.holds(.object(all)))
    }

    @Test("the plan: rules by priority, only those whose conditions hold; each action an effect; a fail action ends it")
    func plan() throws {
        let node = Node(uuid: UUID(), driver: "fake-hardware")
        let port = Port(uuid: UUID(), nodeUUID: node.uuid, address: "52:54:00:00:00:01")
        let low = try Self.rule(priority: 1, actions: [["op": "set-attribute", "args": ["path": "/extra/order", "value": "low"]]])
        let high = try Self.rule(priority: 50, conditions: [["op": "eq", "args": ["{inventory[cpu][count]}", 8]]], actions: [
            ["op": "set-attribute", "args": ["path": "/driver_info/bmc", "value": "{inventory[bmc_address]}"]],
            ["op": "add-trait", "args": ["name": "CUSTOM_{inventory[cpu][architecture]}"]],
            ["op": "extend-attribute", "args": ["path": "/extra/tags", "value": "{item}", "unique": true], "loop": ["a", "b", "a"]],
            ["op": "set-capability", "args": ["name": "boot_mode", "value": "uefi"]],
            ["op": "set-port-attribute", "args": ["port_id": .string(port.uuid.lowercased), "path": "/physical_network", "value": "prov"]],
            ["op": "extend-plugin-data", "args": ["path": "seen.by", "value": "rules"]],
        ])
        let skipped = try Self.rule(priority: 99, conditions: [["op": "eq", "args": [1, 2]]], actions: [["op": "fail", "args": ["never"]]])
        let plan = InspectionRulePlan(rules: [low, skipped, high], node: node, ports: [port], inventory: Self.inventory, pluginData: [:])
        #expect(plan.steps.map(\.rule) == Array(repeating: high.uuid, count: 8) + [low.uuid])
        #expect(plan.steps[0].effect == .updateNode(patch: [["op": "add", "path": "/driver_info", "value": ["bmc": "192.0.2.10"]]]))
        #expect(plan.steps[1].effect == .addTrait("CUSTOM_x86_64"))
        #expect(plan.steps[4].effect == .updateNode(patch: [["op": "add", "path": "/extra", "value": ["tags": ["a", "b"]]]]))
        #expect(plan.steps[5].effect == .updateNode(patch: [["op": "add", "path": "/properties", "value": ["capabilities": "boot_mode:uefi"]]]))
        #expect(plan.steps[6].effect == .updatePort(port.uuid, patch: [["op": "add", "path": "/physical_network", "value": "prov"]]))
        #expect(plan.steps[7].effect == .setPluginData(["seen": ["by": ["rules"]]]))
        #expect(plan.steps[8].effect == .updateNode(patch: [["op": "add", "path": "/extra", "value": ["tags": ["a", "b"], "order": "low"]]]))

        let failing = try Self.rule(actions: [["op": "fail", "args": ["msg": "no"]], ["op": "add-trait", "args": ["CUSTOM_AFTER"]]])
        #expect(InspectionRulePlan(rules: [failing], node: node, ports: [], inventory: Self.inventory, pluginData: [:]).steps.map(\.effect) == [.fail("no")])
    }

    @Test("validation: Ironic's operators and actions only, with the arguments they take")
    func validation() {
        for fields: [String: JSONValue] in [
            ["actions": []], ["actions": [["op": "bogus", "args": [:]]]], ["actions": [["op": "add-trait", "args": [:]]]],
            ["actions": [["op": "add-trait", "args": ["A"]]], "conditions": [["op": "!bogus", "args": []]]],
            ["actions": [["op": "add-trait", "args": ["A"]]], "priority": 10000], ["actions": [["op": "add-trait", "args": ["A"]]], "phase": "x"],
        ] {
            #expect(throws: DomainError.self) { try InspectionRuleDecider.create(uuid: UUID(), fields: fields) }
        }
        #expect(throws: Never.self) {
            try InspectionRuleDecider.create(uuid: UUID(), fields: ["actions": [["op": "log", "args": ["hello", "debug"]]],
                                                                    "conditions": [["op": "!is-empty", "args": ["{inventory}"]]]])
        }
    }
}
