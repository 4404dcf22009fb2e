import Domain
import EventStore
import Foundation
import Projections
import Testing

@Suite("Runbook and inspection rule projections")
struct RunbookRuleProjectionTests {
    @Test("live projections find runbooks by name and rules by UUID, and a rebuild from the log gives the same bytes")
    func liveAndRebuilt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-runbooks-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        defer { store.close() }
        let projections = try await ProjectionSet.open(in: store)
        projections.registerInline()
        func proposed<Event>(_ events: [Event], _ type: (Event) -> String, _ payload: (Event) throws -> Data) throws -> [ProposedEvent] {
            try events.map { ProposedEvent(type: type($0), metadata: EventMetadata(actor: "tester"), payload: try payload($0)) }
        }

        let runbook = UUID(), deleted = UUID(), rule = UUID()
        let steps = [RunbookStep(interface: "bios", step: "factory_reset", order: 1)]
        _ = try await store.append(to: RunbookStream.id(runbook), try proposed([
            RunbookEvent.runbookCreated(runbook: Runbook(uuid: runbook, name: "CUSTOM_A", steps: steps)),
            .runbookUpdated(changes: ["name": "CUSTOM_B", "traits": ["CUSTOM_RACK"], "public": true]),
        ], \.typeName, { try $0.encodedPayload() }))
        _ = try await store.append(to: RunbookStream.id(deleted), try proposed([
            RunbookEvent.runbookCreated(runbook: Runbook(uuid: deleted, name: "CUSTOM_GONE", steps: steps)), .runbookDeleted,
        ], \.typeName, { try $0.encodedPayload() }))
        _ = try await store.append(to: InspectionRuleStream.id(rule), try proposed([
            InspectionRuleEvent.inspectionRuleCreated(rule: InspectionRule(uuid: rule, actions: [["op": "add-trait", "args": ["CUSTOM_X"]]])),
            .inspectionRuleUpdated(changes: ["priority": 7, "sensitive": true]),
        ], \.typeName, { try $0.encodedPayload() }))

        #expect(try projections.runbooks.uuid(named: "CUSTOM_B") == runbook)
        #expect(try projections.runbooks.uuid(named: "CUSTOM_A") == nil && projections.runbooks.uuid(named: "CUSTOM_GONE") == nil)
        #expect(try projections.runbooks.record(runbook)?.traits == ["CUSTOM_RACK"])
        #expect(try projections.runbooks.record(runbook)?.isPublic == true)
        #expect(try projections.inspectionRules.record(rule)?.priority == 7)
        #expect(try projections.inspectionRules.versioned(rule)?.version == 2)

        let live = try ProjectionDigest.compute(projections)
        #expect(try await ProjectionRebuild.run(projections) == live)
        #expect(try projections.runbooks.all().map(\.uuid) == [runbook])
        #expect(try projections.inspectionRules.record(rule)?.sensitive == true)
    }
}
