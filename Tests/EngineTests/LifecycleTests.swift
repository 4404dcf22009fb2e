import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

@Suite("A fake-hardware node walks the state machine")
struct LifecycleTests {
    @Test("enroll → manage → inspect → provide → deploy → rebuild → rescue → unrescue → undeploy → available")
    func fullLifecycle() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.enroll(name: "n1")
        #expect(try fixture.node(node).provisionState == .enroll)

        try await fixture.provision(.manage, node)
        #expect(try fixture.node(node).provisionState == .manageable)
        #expect(try fixture.node(node).powerState == .off)

        try await fixture.provision(.inspect, node)
        let inspected = try fixture.node(node)
        #expect(inspected.provisionState == .manageable)
        #expect(inspected.properties["cpus"] == 8)
        #expect(inspected.inspectionFinishedAt != nil)

        try await fixture.provision(.provide, node)
        #expect(try fixture.node(node).provisionState == .available)
        let cleaned = try fixture.history(node).compactMap { event -> String? in
            if case .stepFinished(.clean, let step, nil) = event, case .string(let name)? = step["step"] { return name }
            return nil
        }
        #expect(cleaned == ["erase_devices_metadata"])

        try await fixture.provision(.active, node)
        var deployed = try fixture.node(node)
        #expect(deployed.provisionState == .active)
        #expect(deployed.targetProvisionState == nil)
        #expect(deployed.powerState == .on)
        let steps = try fixture.history(node).compactMap { event -> String? in
            if case .stepFinished(.deploy, let step, nil) = event, case .string(let name)? = step["step"] { return name }
            return nil
        }
        #expect(steps == ["deploy", "write_image", "prepare_instance_boot", "tear_down_agent", "switch_to_tenant_network", "boot_instance"])
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == .tenant)

        try await fixture.provision(.rebuild, node)
        #expect(try fixture.node(node).provisionState == .active)

        try await fixture.provision(.rescue, node, ProvisionArguments(rescuePassword: "secret"))
        #expect(try fixture.node(node).provisionState == .rescue)
        try await fixture.provision(.unrescue, node)
        #expect(try fixture.node(node).provisionState == .active)

        try await fixture.provision(.deleted, node)
        deployed = try fixture.node(node)
        #expect(deployed.provisionState == .available)
        #expect(deployed.powerState == .off)
        #expect(deployed.instanceUUID == nil)
        #expect(try fixture.conductor.commands.aggregate(node)?.networkPhase == nil)
    }

    @Test("inspection creates a port for each MAC it finds that the node does not have, and skips one another node has")
    func inspectionCreatesPorts() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let other = try await fixture.enroll(name: "other")
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:aa:00:09"]), other)
        let inventory: JSONValue = [
            "cpu": ["count": 16, "architecture": "aarch64"], "memory": ["physical_mb": 65536],
            "disks": [["size": 1_000_204_886_016]],
            "interfaces": [["mac_address": "52:54:00:aa:00:01"], ["mac_address": "52:54:00:AA:00:02"], ["mac_address": "52:54:00:aa:00:09"]],
        ]
        let node = try await fixture.enroll(name: "n1", driverInfo: ["fake_inventory": inventory])
        try await fixture.command(.createPort(uuid: UUID(), fields: ["address": "52:54:00:aa:00:01"]), node)
        try await fixture.provision(.manage, node)
        try await fixture.provision(.inspect, node)
        let aggregate = try #require(try fixture.conductor.commands.aggregate(node))
        #expect(aggregate.node.provisionState == .manageable)
        #expect(Set(aggregate.ports.values.map(\.address)) == ["52:54:00:aa:00:01", "52:54:00:aa:00:02"])
        #expect(aggregate.node.properties["cpus"] == 16)
        #expect(aggregate.node.properties["cpu_arch"] == "aarch64")
        #expect(aggregate.node.properties["memory_mb"] == 65536)
        #expect(aggregate.node.properties["local_gb"] == 930)
    }

    @Test("enrolling through the conductor fills in every interface the hardware type defaults to, and refuses what it does not have")
    func enrollFillsInterfaces() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = UUID()
        try await fixture.conductor.enroll(node, fields: ["driver": "fake-hardware", "deploy_interface": "ramdisk"], metadata: requestMetadata())
        let interfaces = try fixture.node(node).interfaces
        #expect(interfaces.count == HardwareInterfaceKind.allCases.count)
        #expect(interfaces[.deploy] == "ramdisk")
        #expect(interfaces[.power] == "fake")
        #expect(interfaces[.boot] == "fake")

        await #expect(throws: DomainError.self) {
            try await fixture.conductor.enroll(UUID(), fields: ["driver": "no-such-hardware"], metadata: requestMetadata())
        }
        do {
            try await fixture.conductor.enroll(UUID(), fields: ["driver": "fake-hardware", "rescue_interface": "agent"], metadata: requestMetadata())
            Issue.record("an unsupported rescue interface was accepted")
        } catch let error as DomainError {
            #expect(error.httpStatus == 400)
            #expect("\(error)".contains("rescue"))
        }
    }
}
