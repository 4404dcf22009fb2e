import Domain
import Foundation
import Testing

@Suite("Deploy templates: decide and evolve")
struct DeployTemplateTests {
    static let uuid = UUID(uuidString: "f1000000-0000-4000-8000-000000000001")!
    static let raid: JSONValue = ["interface": "raid", "step": "create_configuration", "args": ["logical_disks": []], "priority": 10]

    static func created(_ fields: [String: JSONValue]) throws -> DeployTemplate {
        guard case .deployTemplateCreated(let template)? = try DeployTemplateDecider.create(uuid: uuid, fields: fields).first else {
            throw DomainError.invalidState("not created")
        }
        return template
    }

    @Test("create: a trait name and at least one valid step")
    func create() throws {
        let template = try Self.created(["name": "CUSTOM_RAID1", "steps": [Self.raid], "extra": ["a": 1]])
        #expect(template.name == "CUSTOM_RAID1" && template.steps == [DeployTemplateStep(interface: "raid", step: "create_configuration", args: ["logical_disks": []], priority: 10)])
        let refused: [[String: JSONValue]] = [
            ["steps": [Self.raid]],
            ["name": "not-a-trait", "steps": [Self.raid]],
            ["name": "CUSTOM_X", "steps": []],
            ["name": "CUSTOM_X", "steps": [Self.raid, Self.raid]],
            ["name": "CUSTOM_X", "steps": [["interface": "boot", "step": "x", "args": [:], "priority": 1]]],
            ["name": "CUSTOM_X", "steps": [["interface": "raid", "step": "x", "args": [:], "priority": -1]]],
            ["name": "CUSTOM_X", "steps": [["interface": "raid", "step": "x", "priority": 1]]],
            ["name": "CUSTOM_X", "steps": [Self.raid], "extra": "no"],
        ]
        for fields in refused {
            #expect(throws: DomainError.self, "\(fields)") { try DeployTemplateDecider.create(uuid: Self.uuid, fields: fields) }
        }
        #expect(throws: DomainError.invalidParameter("Duplicate deploy steps. A deploy template cannot have multiple deploy steps with the same interface and step. Duplicates: interface: raid, step: create_configuration")) {
            try DeployTemplateDecider.create(uuid: Self.uuid, fields: ["name": "CUSTOM_X", "steps": [Self.raid, Self.raid]])
        }
    }

    @Test("update: JSON Patch on name, steps (inside too) and extra, validated again")
    func update() throws {
        let template = try Self.created(["name": "CUSTOM_RAID1", "steps": [Self.raid]])
        let events = try DeployTemplateDecider.update(template, patch: [["op": "replace", "path": "/steps/0/priority", "value": 5],
                                                                        ["op": "replace", "path": "/name", "value": "CUSTOM_RAID5"]])
        guard case .deployTemplateUpdated(let changes)? = events.first else {
            Issue.record("no update")
            return
        }
        #expect(changes["name"] == "CUSTOM_RAID5" && changes["steps"]?.arrayValue?.first?["priority"] == 5)
        let updated = try #require(DeployTemplateEvolution.evolve(template, events[0], at: 7))
        #expect(updated.name == "CUSTOM_RAID5" && updated.steps[0].priority == 5 && updated.updatedAt == 7)
        #expect(try DeployTemplateDecider.update(template, patch: [["op": "replace", "path": "/name", "value": "CUSTOM_RAID1"]]) == [])
        #expect(throws: DomainError.self) { try DeployTemplateDecider.update(template, patch: [["op": "remove", "path": "/steps/0"]]) }
        #expect(throws: DomainError.self) { try DeployTemplateDecider.update(template, patch: [["op": "replace", "path": "/uuid", "value": "x"]]) }
        #expect(DeployTemplateEvolution.evolve(template, .deployTemplateDeleted, at: 9) == nil)
    }

    @Test("events round-trip and are not node or allocation events")
    func coding() throws {
        let template = try Self.created(["name": "CUSTOM_RAID1", "steps": [Self.raid]])
        for event: DeployTemplateEvent in [.deployTemplateCreated(template: template), .deployTemplateUpdated(changes: ["extra": [:]]), .deployTemplateDeleted] {
            let payload = try event.encodedPayload()
            #expect(try DeployTemplateEvent.decode(payload: payload) == event)
            #expect((try? NodeEvent.decode(payload: payload)) == nil)
            #expect((try? AllocationEvent.decode(payload: payload)) == nil)
        }
    }
}
