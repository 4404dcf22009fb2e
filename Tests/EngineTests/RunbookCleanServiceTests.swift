import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Projections
import Testing

@Suite("Runbooks drive manual cleaning and servicing")
struct RunbookCleanServiceTests {
    static func step(_ interface: String, _ step: String, order: Int) -> JSONValue {
        ["interface": .string(interface), "step": .string(step), "args": [:], "order": .number(Double(order))]
    }

    /// A runbook named `name` with a RAID step (order 2) before which a BIOS step runs (order 1).
    static func createRunbook(_ fixture: ConductorFixture, name: String = "CUSTOM_FIRMWARE") async throws -> Runbook {
        try await fixture.conductor.runbooks.create(uuid: UUID(), fields: [
            "name": .string(name),
            "steps": [step("raid", "delete_configuration", order: 2), step("bios", "apply_configuration", order: 1)],
        ], anyName: false, metadata: requestMetadata())
    }

    @Test("clean with a runbook the node's trait approves runs its steps by order and records the runbook in the request")
    func cleanWithRunbook() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        try await fixture.command(.setTraits(["CUSTOM_FIRMWARE"]), node)
        let runbook = try await Self.createRunbook(fixture)
        let arguments = try fixture.conductor.runbooks.provisionArguments("CUSTOM_FIRMWARE", ProvisionArguments(runbook: "CUSTOM_FIRMWARE"),
                                                                          verb: .clean, node: try fixture.node(node))
        try await fixture.provision(.clean, node, arguments)
        #expect(try fixture.node(node).provisionState == .manageable)
        #expect(try fixture.steps(node, phase: .clean).filter { $0.kind == .finished }.map(\.name) == ["apply_configuration", "delete_configuration"])
        let request = try fixture.history(node).compactMap { event -> ProvisionArguments? in
            if case .provisionStateChanged(let change) = event, change.verb == .clean { return change.arguments }
            return nil
        }.first
        #expect(request?.runbook == runbook.uuid.lowercased)
    }

    @Test("service with a runbook, by UUID, runs its steps on an active node and returns it to active")
    func serviceWithRunbook() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.activeNode()
        try await fixture.command(.setTraits(["CUSTOM_FIRMWARE"]), node)
        let runbook = try await Self.createRunbook(fixture)
        let arguments = try fixture.conductor.runbooks.provisionArguments(runbook.uuid.lowercased, ProvisionArguments(runbook: runbook.uuid.lowercased),
                                                                          verb: .service, node: try fixture.node(node))
        try await fixture.provision(.service, node, arguments)
        #expect(try fixture.node(node).provisionState == .active)
        #expect(try fixture.steps(node, phase: .service).filter { $0.kind == .finished }.map(\.name) == ["apply_configuration", "delete_configuration"])
    }

    @Test("a node without the runbook's trait is refused (400), an unknown runbook is 404, and a runbook trait (1.112) approves it too")
    func approval() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.manageableNode()
        let runbook = try await Self.createRunbook(fixture)
        let handler = fixture.conductor.runbooks
        #expect {
            try handler.provisionArguments("CUSTOM_FIRMWARE", ProvisionArguments(runbook: "CUSTOM_FIRMWARE"), verb: .clean, node: try fixture.node(node))
        } throws: { error in
            (error as? DomainError)?.httpStatus == 400 && "\(error)".contains("has not been approved for use on this node")
        }
        #expect {
            try handler.provisionArguments("CUSTOM_NONE", ProvisionArguments(runbook: "CUSTOM_NONE"), verb: .clean, node: try fixture.node(node))
        } throws: { error in (error as? DomainError)?.httpStatus == 404 }
        #expect {
            try handler.provisionArguments("CUSTOM_FIRMWARE", ProvisionArguments(cleanSteps: [], runbook: "CUSTOM_FIRMWARE"), verb: .clean,
                                           node: try fixture.node(node))
        } throws: { error in (error as? DomainError)?.httpStatus == 400 }
        _ = try await handler.setTraits(runbook.uuid, metadata: requestMetadata()) { _ in ["CUSTOM_RACK_A"] }
        try await fixture.command(.setTraits(["CUSTOM_RACK_A"]), node)
        let arguments = try handler.provisionArguments("CUSTOM_FIRMWARE", ProvisionArguments(runbook: "CUSTOM_FIRMWARE"), verb: .clean,
                                                       node: try fixture.node(node))
        #expect(arguments.cleanSteps?.count == 2)
    }
}
