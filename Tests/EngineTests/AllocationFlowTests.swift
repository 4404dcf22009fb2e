import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

@Suite("Allocations: the engine finds, reserves and releases nodes")
struct AllocationFlowTests {
    static let baremetal: [String: JSONValue] = ["resource_class": "baremetal"]

    /// An available fake-hardware node of resource class `baremetal`, changed by `fields`.
    static func available(_ fixture: ConductorFixture, _ fields: [String: JSONValue] = [:]) async throws -> UUID {
        try await fixture.availableNode(fields: baremetal.merging(fields) { $1 })
    }

    @Test("a match: the allocation becomes active, the node gets allocation_uuid, instance_uuid and instance traits")
    func match() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await Self.available(fixture)
        try await fixture.command(.setTraits(["CUSTOM_GPU"]), node)
        let uuid = UUID()
        let metadata = requestMetadata(actor: "alice", project: "p1", requestID: "req-allocate")
        let allocation = try await fixture.conductor.allocations.create(uuid: uuid, .init(resourceClass: "baremetal", traits: ["CUSTOM_GPU"]),
                                                                        metadata: metadata)
        #expect(allocation.state == .active && allocation.nodeUUID == node && allocation.lastError == nil)
        let reserved = try fixture.node(node)
        #expect(reserved.allocationUUID == uuid && reserved.instanceUUID == uuid && reserved.instanceInfo["traits"] == ["CUSTOM_GPU"])
        let events = try fixture.conductor.store.events(ofStream: AllocationStream.id(uuid))
        #expect(events.map(\.type) == ["AllocationCreated", "AllocationNodeChosen"])
        #expect(events.allSatisfy { $0.metadata.actor == "alice" && $0.metadata.project == "p1" && $0.metadata.requestID == "req-allocate" })
        #expect(try fixture.history(node).last == .allocationAssigned(allocation: uuid, traits: ["CUSTOM_GPU"]))
    }

    @Test("no match: the allocation is in error with Ironic's last_error; nothing is reserved")
    func noMatch() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await Self.available(fixture)
        let uuid = UUID()
        let other = try await fixture.conductor.allocations.create(uuid: uuid, .init(resourceClass: "gpu"), metadata: requestMetadata())
        #expect(other.state == .error && other.nodeUUID == nil)
        #expect(other.lastError == "Failed to process allocation \(uuid.lowercased): no available nodes match the resource class gpu.")
        let traits = try await fixture.conductor.allocations.create(uuid: UUID(), .init(resourceClass: "baremetal", traits: ["CUSTOM_GPU"]),
                                                                    metadata: requestMetadata())
        #expect(traits.state == .error && traits.lastError?.hasSuffix("no suitable nodes have the requested traits CUSTOM_GPU.") == true)
        let elsewhere = try await fixture.conductor.allocations.create(uuid: UUID(), .init(resourceClass: "baremetal", candidateNodes: [UUID()]),
                                                                       metadata: requestMetadata())
        #expect(elsewhere.state == .error && elsewhere.lastError?.contains("none of the requested nodes") == true)
        #expect(try fixture.node(node).allocationUUID == nil)
        try await fixture.command(.setMaintenance(reason: "x", fault: nil), node)
        #expect(try await fixture.conductor.allocations.create(uuid: UUID(), .init(resourceClass: "baremetal"), metadata: requestMetadata()).state == .error)
    }

    @Test("candidate nodes and the name preference pick the node")
    func candidatesAndName() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        var nodes: [UUID] = []
        for index in 0..<4 { nodes.append(try await Self.available(fixture, ["name": .string("rack-\(index)")])) }
        let pinned = try await fixture.conductor.allocations.create(uuid: UUID(), .init(resourceClass: "baremetal", candidateNodes: [nodes[2]]),
                                                                    metadata: requestMetadata())
        #expect(pinned.nodeUUID == nodes[2])
        let named = try await fixture.conductor.allocations.create(uuid: UUID(), .init(name: "rack-3", resourceClass: "baremetal"),
                                                                   metadata: requestMetadata())
        #expect(named.nodeUUID == nodes[3])
    }

    @Test("concurrent allocations never share a node")
    func concurrent() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        var nodes: Set<UUID> = []
        for _ in 0..<3 { nodes.insert(try await Self.available(fixture)) }
        let handler = fixture.conductor.allocations
        let results = try await withThrowingTaskGroup(of: Allocation.self) { group in
            for _ in 0..<6 {
                group.addTask { try await handler.create(uuid: UUID(), .init(resourceClass: "baremetal"), metadata: requestMetadata()) }
            }
            return try await group.reduce(into: [Allocation]()) { $0.append($1) }
        }
        let active = results.filter { $0.state == .active }
        #expect(active.count == 3)
        #expect(Set(active.compactMap(\.nodeUUID)) == nodes)
        #expect(results.filter { $0.state == .error }.count == 3)
        for node in nodes {
            let holder = try fixture.node(node).allocationUUID
            #expect(active.filter { $0.uuid == holder }.count == 1)
            // The log agrees: each node was assigned exactly once.
            let assigned = try fixture.history(node).filter { if case .allocationAssigned = $0 { true } else { false } }
            #expect(assigned.count == 1)
        }
    }

    @Test("backfill records the allocation of a deployed node; a node not active is refused and the allocation is in error")
    func backfill() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let active = try await fixture.activeNode(fields: Self.baremetal)
        let uuid = UUID()
        let allocation = try await fixture.conductor.allocations.create(uuid: uuid, .init(), backfill: active, metadata: requestMetadata())
        #expect(allocation.state == .active && allocation.nodeUUID == active)
        #expect(try fixture.node(active).allocationUUID == uuid && fixture.node(active).instanceUUID == uuid)
        let idle = try await Self.available(fixture)
        let refused = UUID()
        await #expect(throws: DomainError.self) {
            try await fixture.conductor.allocations.create(uuid: refused, .init(), backfill: idle, metadata: requestMetadata())
        }
        #expect(try fixture.conductor.allocations.allocation(refused)?.state == .error)
    }

    @Test("deleting an allocation releases its node; refused while the node is active")
    func delete() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await Self.available(fixture)
        let uuid = UUID()
        try await fixture.conductor.allocations.create(uuid: uuid, .init(resourceClass: "baremetal"), metadata: requestMetadata())
        try await fixture.conductor.allocations.delete(uuid, metadata: requestMetadata())
        #expect(try fixture.conductor.allocations.allocation(uuid) == nil)
        #expect(try fixture.node(node).allocationUUID == nil && fixture.node(node).instanceUUID == nil)
        #expect(try fixture.history(node).last == .allocationReleased(allocation: uuid))

        let second = UUID()
        try await fixture.conductor.allocations.create(uuid: second, .init(resourceClass: "baremetal"), metadata: requestMetadata())
        try await fixture.provision(.active, node)
        #expect(try fixture.node(node).provisionState == .active)
        await #expect(throws: DomainError.self) { try await fixture.conductor.allocations.delete(second, metadata: requestMetadata()) }
        #expect(try fixture.node(node).instanceUUID == second)
    }

    @Test("undeploy and node deletion take the allocation with them")
    func cascades() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await Self.available(fixture)
        let deployed = UUID()
        try await fixture.conductor.allocations.create(uuid: deployed, .init(resourceClass: "baremetal"), metadata: requestMetadata())
        try await fixture.provision(.active, node)
        try await fixture.provision(.deleted, node)
        #expect(try fixture.node(node).provisionState == .available)
        #expect(try fixture.node(node).allocationUUID == nil && fixture.node(node).instanceUUID == nil)
        #expect(try fixture.conductor.allocations.allocation(deployed) == nil)
        #expect(try fixture.conductor.store.events(ofStream: AllocationStream.id(deployed)).last?.type == "AllocationDeleted")

        let held = UUID()
        try await fixture.conductor.allocations.create(uuid: held, .init(resourceClass: "baremetal"), metadata: requestMetadata())
        try await fixture.command(.setMaintenance(reason: "retire", fault: nil), node)
        try await fixture.command(.delete, node)
        #expect(try fixture.conductor.allocations.allocation(held) == nil)
        #expect(try fixture.conductor.allocations.all().isEmpty)
    }
}

@Suite("Allocations after a restart")
struct AllocationRestartTests {
    @Test("an allocation left allocating by a stopped engine is allocated when the conductor starts")
    func resumed() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.remove() }
        let node = try await fixture.availableNode(fields: ["resource_class": "baremetal"])
        var left = Allocation(uuid: UUID())
        left.resourceClass = "baremetal"
        let created = AllocationEvent.allocationCreated(allocation: left)
        _ = try await fixture.conductor.store.append(to: AllocationStream.id(left.uuid), expected: .noStream, [
            ProposedEvent(type: created.typeName, metadata: requestMetadata(), payload: try created.encodedPayload()),
        ])
        fixture.stop()
        let restarted = try await ConductorFixture.start(directory: fixture.directory)
        defer { restarted.stop() }
        try await restarted.eventually { try restarted.conductor.allocations.allocation(left.uuid)?.state == .active }
        #expect(try restarted.node(node).allocationUUID == left.uuid)
        #expect(try restarted.conductor.store.events(ofStream: AllocationStream.id(left.uuid)).last?.metadata.actor == "conductor")
    }
}

@Suite("Allocation and deploy template UUIDs")
struct RecordUUIDTests {
    @Test("a UUID in use is 409; the UUID of a deleted one may be used again, continuing its stream")
    func reuse() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let uuid = UUID()
        try await fixture.conductor.allocations.create(uuid: uuid, .init(resourceClass: "x"), metadata: requestMetadata())
        await #expect(throws: DomainError.resourceAlreadyExists(kind: "allocation", id: uuid)) {
            try await fixture.conductor.allocations.create(uuid: uuid, .init(resourceClass: "x"), metadata: requestMetadata())
        }
        try await fixture.conductor.allocations.delete(uuid, metadata: requestMetadata())
        try await fixture.conductor.allocations.create(uuid: uuid, .init(resourceClass: "y"), metadata: requestMetadata())
        #expect(try fixture.conductor.allocations.allocation(uuid)?.resourceClass == "y")
        #expect(try fixture.conductor.store.events(ofStream: AllocationStream.id(uuid)).map(\.type)
            == ["AllocationCreated", "AllocationFailed", "AllocationDeleted", "AllocationCreated", "AllocationFailed"])

        let template = UUID()
        let fields: [String: JSONValue] = ["name": "CUSTOM_X", "steps": [["interface": "raid", "step": "x", "args": [:], "priority": 1]]]
        _ = try await fixture.conductor.deployTemplates.create(uuid: template, fields: fields, metadata: requestMetadata())
        await #expect(throws: DomainError.self) { _ = try await fixture.conductor.deployTemplates.create(uuid: template, fields: fields, metadata: requestMetadata()) }
        try await fixture.conductor.deployTemplates.delete(template, metadata: requestMetadata())
        _ = try await fixture.conductor.deployTemplates.create(uuid: template, fields: fields, metadata: requestMetadata())
        #expect(try fixture.conductor.deployTemplates.template(named: "CUSTOM_X")?.uuid == template)
    }
}
