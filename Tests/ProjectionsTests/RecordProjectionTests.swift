import Domain
import EventStore
import Foundation
import Projections
import Testing

@Suite("Allocation, deploy template and chassis projections")
struct RecordProjectionTests {
    /// A store in a temporary directory; removed afterwards.
    final class Store {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-records-\(UUID().uuidString)").path
        let store: LMDBEventStore

        init() throws {
            store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        }

        deinit {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }

        func append(_ events: [AllocationEvent], to uuid: UUID) async throws {
            _ = try await store.append(to: AllocationStream.id(uuid), try events.map {
                ProposedEvent(type: $0.typeName, metadata: EventMetadata(actor: "tester"), payload: try $0.encodedPayload())
            })
        }

        func append(_ events: [ChassisEvent], to uuid: UUID) async throws {
            _ = try await store.append(to: ChassisStream.id(uuid), try events.map {
                ProposedEvent(type: $0.typeName, metadata: EventMetadata(actor: "tester"), payload: try $0.encodedPayload())
            })
        }

        func append(_ events: [DeployTemplateEvent], to uuid: UUID) async throws {
            _ = try await store.append(to: DeployTemplateStream.id(uuid), try events.map {
                ProposedEvent(type: $0.typeName, metadata: EventMetadata(actor: "tester"), payload: try $0.encodedPayload())
            })
        }
    }

    static func allocation(_ uuid: UUID, name: String?) -> Allocation {
        var allocation = Allocation(uuid: uuid)
        allocation.name = name
        allocation.resourceClass = "baremetal"
        return allocation
    }

    @Test("the live projection lists allocations, templates and chassis, finds them by name, and a rebuild gives the same bytes")
    func liveAndRebuilt() async throws {
        let fixture = try Store()
        let projections = try await ProjectionSet.open(in: fixture.store)
        projections.registerInline()
        let a = UUID(), b = UUID(), gone = UUID(), node = UUID(), template = UUID()
        try await fixture.append([.allocationCreated(allocation: Self.allocation(a, name: "a")), .nodeChosen(node: node)], to: a)
        try await fixture.append([.allocationCreated(allocation: Self.allocation(b, name: "b")), .allocationFailed(error: "none"),
                                  .allocationUpdated(changes: ["name": "b2"])], to: b)
        try await fixture.append([.allocationCreated(allocation: Self.allocation(gone, name: "gone")), .allocationDeleted(node: nil)], to: gone)
        try await fixture.append([.deployTemplateCreated(template: DeployTemplate(uuid: template, name: "CUSTOM_A",
                                                                                 steps: [DeployTemplateStep(interface: "raid", step: "x", priority: 1)])),
                                  .deployTemplateUpdated(changes: ["name": "CUSTOM_B"])], to: template)
        let chassis = UUID(), removed = UUID()
        try await fixture.append([.chassisCreated(chassis: Chassis(uuid: chassis, description: "rack")),
                                  .chassisUpdated(changes: ["description": "row"])], to: chassis)
        try await fixture.append([.chassisCreated(chassis: Chassis(uuid: removed)), .chassisDeleted], to: removed)

        #expect(Set(try projections.allocations.all().map(\.uuid)) == [a, b])
        #expect(try projections.allocations.record(a)?.state == .active)
        #expect(try projections.allocations.versioned(b)?.version == 3)
        #expect(try projections.allocations.uuid(named: "b2") == b)
        #expect(try projections.allocations.uuid(named: "b") == nil)
        #expect(try projections.allocations.uuid(named: "gone") == nil)
        #expect(try projections.deployTemplates.uuid(named: "CUSTOM_B") == template)
        #expect(try projections.deployTemplates.uuid(named: "CUSTOM_A") == nil)

        let live = try ProjectionDigest.compute(projections)
        #expect(try await ProjectionRebuild.run(projections) == live)
        #expect(try projections.allocations.record(b)?.name == "b2")
        #expect(try projections.deployTemplates.record(template)?.name == "CUSTOM_B")
        #expect(try projections.chassis.all().map(\.uuid) == [chassis])
        #expect(try projections.chassis.versioned(chassis)?.record.description == "row")
    }

    @Test("a name held by another record refuses the append inside the writer")
    func nameCondition() async throws {
        let fixture = try Store()
        let projections = try await ProjectionSet.open(in: fixture.store)
        projections.registerInline()
        let a = UUID(), b = UUID()
        try await fixture.append([.allocationCreated(allocation: Self.allocation(a, name: "same"))], to: a)
        let created = AllocationEvent.allocationCreated(allocation: Self.allocation(b, name: "same"))
        let append = StreamAppend(streamID: AllocationStream.id(b), expectedVersion: .noStream,
                                  events: [ProposedEvent(type: created.typeName, payload: try created.encodedPayload())])
        await #expect(throws: DomainError.duplicateResourceName(kind: "allocation", name: "same")) {
            _ = try await fixture.store.append([append], condition: RecordNameCondition(projections.allocations, record: b, name: "same"))
        }
        #expect(try projections.allocations.record(b) == nil)
    }
}
