import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

@Suite("Inspection rules apply when inspection ends")
struct InspectionRuleApplicationTests {
    @Test("rules whose conditions hold on the inventory change the node, each action an event caused by the inspection")
    func rulesApply() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        let rules = fixture.conductor.inspectionRules
        let matching = try await rules.create(uuid: UUID(), fields: [
            "description": "big x86 servers", "priority": 10,
            "conditions": [
                ["op": "eq", "args": ["values": ["{inventory[cpu][architecture]}", "x86_64"]]],
                ["op": "gt", "args": [.number(9), .number(8)]],
            ],
            "actions": [
                ["op": "add-trait", "args": ["name": "CUSTOM_BIG"]],
                ["op": "set-attribute", "args": ["path": "/extra/arch", "value": "{inventory[cpu][architecture]}"]],
                ["op": "set-capability", "args": ["name": "boot_mode", "value": "uefi"]],
                ["op": "set-plugin-data", "args": ["path": "seen.by", "value": "rules"]],
            ],
        ], metadata: requestMetadata())
        _ = try await rules.create(uuid: UUID(), fields: [
            "conditions": [["op": "!contains", "args": ["value": "{inventory[cpu][architecture]}", "regex": "x86"]]],
            "actions": [["op": "add-trait", "args": ["CUSTOM_NOT_X86"]]],
        ], metadata: requestMetadata())

        try await fixture.provision(.inspect, node)
        let inspected = try fixture.node(node)
        #expect(inspected.provisionState == .manageable)
        #expect(inspected.traits == ["CUSTOM_BIG"])
        #expect(inspected.extra["arch"] == "x86_64")
        #expect(inspected.properties["capabilities"] == "boot_mode:uefi")
        #expect(inspected.properties["cpus"] == 8)
        #expect(try fixture.conductor.commands.aggregate(node)?.pluginData?["seen"]?["by"] == "rules")

        let envelopes = try fixture.conductor.store.events(ofStream: NodeStream.id(node))
        let inspection = try #require(envelopes.first { $0.type == "InspectionRecorded" })
        let applied = envelopes.filter { $0.metadata.actor == "inspection-rule/\(matching.uuid.lowercased)" }
        #expect(applied.count == 4)
        #expect(applied.allSatisfy { $0.metadata.causationID == inspection.eventID })
    }

    @Test("a fail action fails the inspection with its message")
    func failAction() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        _ = try await fixture.conductor.inspectionRules.create(uuid: UUID(), fields: [
            "conditions": [["op": "lt", "args": ["values": ["{inventory[memory][physical_mb]}", 32768]]]],
            "actions": [["op": "fail", "args": ["msg": "not enough memory: {inventory[memory][physical_mb]} MiB"]]],
        ], metadata: requestMetadata())
        try await fixture.provision(.inspect, node)
        let failed = try fixture.node(node)
        #expect(failed.provisionState == .inspectFailed)
        #expect(failed.lastError == "not enough memory: 16384 MiB")
    }

    @Test("an agent's inventory and plugin data posted back run the rules too: conditions on plugin_data and in a loop, a port attribute, a looped action")
    func agentInspection() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode(driverInfo: ["fake_wait": "inspect.inspect_hardware"])
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:aa:00:01"]), node)
        let port = try #require(try fixture.conductor.commands.aggregate(node)?.ports.keys.first)
        _ = try await fixture.conductor.inspectionRules.create(uuid: UUID(), fields: [
            "conditions": [
                ["op": "is-true", "args": ["{plugin_data[secure_boot]}"]],
                ["op": "eq", "args": ["{inventory[interfaces][0][name]}", "{item}"], "loop": ["eth0", "eno1"], "multiple": "any"],
            ],
            "actions": [
                ["op": "set-port-attribute", "args": ["port_id": .string(port.lowercased), "path": "/physical_network", "value": "provisioning"]],
                ["op": "extend-attribute", "args": ["path": "/extra/nics", "value": "{item[name]}"], "loop": [["name": "eno1"], ["name": "eno2"]]],
                ["op": "remove-trait", "args": ["CUSTOM_UNINSPECTED"]],
            ],
        ], metadata: requestMetadata())
        try await fixture.command(.setTraits(["CUSTOM_UNINSPECTED", "CUSTOM_KEEP"]), node)
        try await fixture.provision(.inspect, node)
        #expect(try fixture.node(node).provisionState == .inspectWait)

        let inventory: JSONValue = [
            "cpu": ["count": 4, "architecture": "x86_64"],
            "interfaces": [["name": "eno1", "mac_address": "52:54:00:aa:00:01"], ["name": "ens2", "mac_address": "52:54:00:aa:00:02"]],
        ]
        try await fixture.conductor.agentCallBack(node, inventory: inventory, pluginData: ["secure_boot": true], metadata: requestMetadata(actor: "agent"))
        try await fixture.conductor.settle()
        let inspected = try fixture.node(node)
        #expect(inspected.provisionState == .manageable)
        #expect(inspected.traits == ["CUSTOM_KEEP"])
        #expect(inspected.extra["nics"] == ["eno1", "eno2"])
        #expect(try fixture.conductor.commands.aggregate(node)?.ports[port]?.physicalNetwork == "provisioning")
    }
}
