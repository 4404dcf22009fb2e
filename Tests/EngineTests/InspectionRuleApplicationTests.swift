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
}
