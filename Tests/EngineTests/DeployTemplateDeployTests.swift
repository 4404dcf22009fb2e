import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

@Suite("Deploy templates at deploy time")
struct DeployTemplateDeployTests {
    static func step(_ interface: String, _ step: String, priority: Int) -> JSONValue {
        ["interface": .string(interface), "step": .string(step), "args": [:], "priority": .number(Double(priority))]
    }

    @Test("an allocation's trait names a template: its steps run among the deploy steps and show in the node's history")
    func templateStepsRun() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode(fields: ["resource_class": "baremetal"])
        try await fixture.command(.setTraits(["CUSTOM_RAID1"]), node)
        _ = try await fixture.conductor.deployTemplates.create(uuid: UUID(), fields: [
            "name": "CUSTOM_RAID1", "steps": [Self.step("raid", "create_configuration", priority: 90)],
        ], metadata: requestMetadata())
        try await fixture.conductor.allocations.create(uuid: UUID(), .init(resourceClass: "baremetal", traits: ["CUSTOM_RAID1"]), metadata: requestMetadata())
        try await fixture.provision(.active, node)
        #expect(try fixture.node(node).provisionState == .active)
        let started = try fixture.history(node).compactMap { event -> String? in
            if case .stepStarted(.deploy, let step) = event, case .string(let name)? = step["step"] { return name }
            return nil
        }
        #expect(started == ["deploy", "create_configuration", "write_image", "prepare_instance_boot", "tear_down_agent",
                            "switch_to_tenant_network", "boot_instance"])
    }

    @Test("user deploy_steps override a template's; priority 0 disables a step")
    func userStepsOverride() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode()
        try await fixture.command(.setTraits(["CUSTOM_RAID1"]), node)
        try await fixture.command(.update(patch: [["op": "add", "path": "/instance_info/traits", "value": ["CUSTOM_RAID1"]]]), node)
        _ = try await fixture.conductor.deployTemplates.create(uuid: UUID(), fields: [
            "name": "CUSTOM_RAID1", "steps": [Self.step("raid", "create_configuration", priority: 90)],
        ], metadata: requestMetadata())
        try await fixture.provision(.active, node, ProvisionArguments(deploySteps: [Self.step("raid", "create_configuration", priority: 0)]))
        let started = try fixture.history(node).compactMap { event -> String? in
            if case .stepStarted(.deploy, let step) = event, case .string(let name)? = step["step"] { return name }
            return nil
        }
        #expect(!started.contains("create_configuration"))
        #expect(try fixture.node(node).provisionState == .active)
    }

    @Test("a template naming a step the node does not offer fails the deploy with a clear error")
    func unknownStep() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode()
        try await fixture.command(.setTraits(["CUSTOM_BAD"]), node)
        try await fixture.command(.update(patch: [["op": "add", "path": "/instance_info/traits", "value": ["CUSTOM_BAD"]]]), node)
        _ = try await fixture.conductor.deployTemplates.create(uuid: UUID(), fields: [
            "name": "CUSTOM_BAD", "steps": [Self.step("bios", "no_such_step", priority: 50)],
        ], metadata: requestMetadata())
        try await fixture.provision(.active, node)
        let failed = try fixture.node(node)
        #expect(failed.provisionState == .deployFailed)
        #expect(failed.lastError?.contains("Deploy steps from deploy template CUSTOM_BAD are invalid: node does not support this deploy step: interface bios, step no_such_step") == true,
                "\(failed.lastError ?? "")")
    }

    @Test("instance traits the node does not have fail the deploy, as Ironic's validation does")
    func instanceTraitsMustBeNodeTraits() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.availableNode()
        try await fixture.command(.update(patch: [["op": "add", "path": "/instance_info/traits", "value": ["CUSTOM_MISSING"]]]), node)
        try await fixture.provision(.active, node)
        let failed = try fixture.node(node)
        #expect(failed.provisionState == .deployFailed)
        #expect(failed.lastError?.contains("Cannot specify instance traits that are not also node traits. Node \(node.lowercased) is missing traits CUSTOM_MISSING") == true)
    }
}
