import Domain
import Foundation
import Testing

@Suite("Allocations: decide, evolve, match")
struct AllocationTests {
    static let allocation = UUID(uuidString: "f0000000-0000-4000-8000-000000000001")!

    /// An allocation as created with `request`.
    static func created(_ request: AllocationDecider.Request) throws -> Allocation {
        guard case .allocationCreated(let allocation)? = try AllocationDecider.create(uuid: Self.allocation, request).first else {
            throw DomainError.invalidState("not created")
        }
        return allocation
    }

    /// A node fit for an allocation of `baremetal`, changed by `configure`.
    static func node(_ uuid: UUID = UUID(), _ configure: (inout Node) -> Void = { _ in }) -> Node {
        var node = Node(uuid: uuid, driver: "fake-hardware")
        node.provisionState = .available
        node.powerState = .off
        node.resourceClass = "baremetal"
        configure(&node)
        return node
    }

    @Test("create: an allocating allocation with what was asked; resource_class required unless backfilling")
    func create() throws {
        let allocation = try Self.created(.init(name: "web-1", resourceClass: "baremetal", traits: ["CUSTOM_GPU"], owner: "p1"))
        #expect(allocation.state == .allocating && allocation.name == "web-1" && allocation.traits == ["CUSTOM_GPU"] && allocation.owner == "p1")
        #expect(throws: DomainError.invalidParameter("The resource_class field is mandatory when not backfilling")) {
            try AllocationDecider.create(uuid: Self.allocation, .init())
        }
        #expect(try AllocationDecider.create(uuid: Self.allocation, .init(), backfilling: true).count == 1)
        #expect(throws: DomainError.self) { try AllocationDecider.create(uuid: Self.allocation, .init(resourceClass: "x", traits: ["lower"])) }
        #expect(throws: DomainError.self) { try AllocationDecider.create(uuid: Self.allocation, .init(name: "bad name", resourceClass: "x")) }
        #expect(throws: DomainError.self) { try AllocationDecider.create(uuid: Self.allocation, .init(resourceClass: String(repeating: "x", count: 81))) }
    }

    @Test("evolve: created, node chosen, failed, updated, deleted")
    func evolve() throws {
        let node = UUID()
        var state = AllocationEvolution.evolve(nil, .allocationCreated(allocation: try Self.created(.init(resourceClass: "baremetal"))), at: 10)
        #expect(state?.createdAt == 10 && state?.updatedAt == nil)
        state = AllocationEvolution.evolve(state, .nodeChosen(node: node), at: 20)
        #expect(state?.state == .active && state?.nodeUUID == node && state?.updatedAt == 20)
        state = AllocationEvolution.evolve(state, .allocationUpdated(changes: ["name": "renamed", "extra": ["k": "v"]]), at: 30)
        #expect(state?.name == "renamed" && state?.extra == ["k": "v"])
        let failed = AllocationEvolution.evolve(state, .allocationFailed(error: "boom"), at: 40)
        #expect(failed?.state == .error && failed?.lastError == "boom" && failed?.nodeUUID == nil)
        #expect(AllocationEvolution.evolve(state, .allocationDeleted(node: node), at: 50) == nil)
        #expect(AllocationEvolution.evolve(nil, .nodeChosen(node: node), at: 1) == nil)
    }

    @Test("match: available, powered, not in maintenance, no instance, resource class, traits, candidates, owner")
    func candidates() throws {
        let fit = Self.node()
        let others = [
            Self.node { $0.provisionState = .manageable }, Self.node { $0.maintenance = true }, Self.node { $0.powerState = nil },
            Self.node { $0.instanceUUID = UUID() }, Self.node { $0.resourceClass = "other" },
        ]
        var generator = SystemRandomNumberGenerator()
        let allocation = try Self.created(.init(resourceClass: "baremetal"))
        #expect(try AllocationMatching.candidates(for: allocation, among: others + [fit], using: &generator).get().map(\.uuid) == [fit.uuid])
        let none = AllocationMatching.candidates(for: allocation, among: others, using: &generator)
        #expect(none == .failure(AllocationFailure(allocation: Self.allocation, reason: "no available nodes match the resource class baremetal")))
        #expect(AllocationFailure(allocation: Self.allocation, reason: "x").description == "Failed to process allocation f0000000-0000-4000-8000-000000000001: x.")

        let gpu = Self.node { $0.traits = ["CUSTOM_GPU", "CUSTOM_NVME"] }
        let withTraits = try Self.created(.init(resourceClass: "baremetal", traits: ["CUSTOM_GPU"]))
        #expect(try AllocationMatching.candidates(for: withTraits, among: [fit, gpu], using: &generator).get().map(\.uuid) == [gpu.uuid])
        guard case .failure(let failure) = AllocationMatching.candidates(for: withTraits, among: [fit], using: &generator) else {
            Issue.record("a node without the trait matched")
            return
        }
        #expect(failure.reason == "no suitable nodes have the requested traits CUSTOM_GPU")

        let second = Self.node()
        let pinned = try Self.created(.init(resourceClass: "baremetal", candidateNodes: [second.uuid]))
        #expect(try AllocationMatching.candidates(for: pinned, among: [fit, second], using: &generator).get().map(\.uuid) == [second.uuid])

        let owned = Self.node { $0.owner = "p1" }, leased = Self.node { $0.lessee = "p1" }
        let mine = try Self.created(.init(resourceClass: "baremetal", owner: "p1"))
        #expect(Set(try AllocationMatching.candidates(for: mine, among: [fit, owned, leased], using: &generator).get().map(\.uuid)) == [owned.uuid, leased.uuid])
    }

    @Test("match: a node named as the allocation is tried first (1.79)")
    func namePreference() throws {
        let nodes = (0..<8).map { index in Self.node { $0.name = "node-\(index)" } }
        let allocation = try Self.created(.init(name: "node-5", resourceClass: "baremetal"))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10 {
            #expect(try AllocationMatching.candidates(for: allocation, among: nodes, using: &generator).get().first?.name == "node-5")
        }
    }

    @Test("the node: assigned sets allocation_uuid, instance_uuid and instance_info.traits; released clears them")
    func nodeSide() throws {
        let allocation = try Self.created(.init(resourceClass: "baremetal", traits: ["CUSTOM_GPU"]))
        let ready = History.available + History.poweredOff + [.updated(changes: ["resource_class": "baremetal"]), .traitsSet(traits: ["CUSTOM_GPU"])]
        given(ready).when(.assignAllocation(allocation, backfill: false))
            .then([.allocationAssigned(allocation: Self.allocation, traits: ["CUSTOM_GPU"])])
        let assigned = ready + [.allocationAssigned(allocation: Self.allocation, traits: ["CUSTOM_GPU"])]
        let node = try #require(GivenWhenThen.fold(assigned)?.node)
        #expect(node.allocationUUID == Self.allocation && node.instanceUUID == Self.allocation)
        #expect(node.instanceInfo["traits"] == ["CUSTOM_GPU"])
        given(assigned).when(.assignAllocation(try Self.created(.init(resourceClass: "baremetal")), backfill: false)).then([])
        var other = allocation
        other.uuid = UUID()
        given(assigned).when(.assignAllocation(other, backfill: false)).thenRefused(httpStatus: 409)
        given(History.enroll).when(.assignAllocation(allocation, backfill: false)).thenRefused(httpStatus: 409)
        given(assigned).when(.releaseAllocation(Self.allocation)).then([.allocationReleased(allocation: Self.allocation)])
        given(assigned).when(.releaseAllocation(UUID())).then([])
        let released = try #require(GivenWhenThen.fold(assigned + [.allocationReleased(allocation: Self.allocation)])?.node)
        #expect(released.allocationUUID == nil && released.instanceUUID == nil)
    }

    @Test("backfill: only an active node that matches; an instance_uuid other than the allocation's is refused")
    func backfill() throws {
        let allocation = try Self.created(.init(resourceClass: "baremetal"))
        let active = History.active + [.updated(changes: ["resource_class": "baremetal"])]
        given(active).when(.assignAllocation(allocation, backfill: true)).then([.allocationAssigned(allocation: Self.allocation, traits: [])])
        given(History.available + [.updated(changes: ["resource_class": "baremetal"])]).when(.assignAllocation(allocation, backfill: true))
            .thenRefused(httpStatus: 400)
        given(active + [.updated(changes: ["instance_uuid": .string(ID.instance.lowercased)])]).when(.assignAllocation(allocation, backfill: true))
            .then(.nodeAssociated(node: ID.node, instance: ID.instance), httpStatus: 409)
    }

    @Test("the node's allocation goes with it: delete, tear-down, instance_uuid removed")
    func cascades() throws {
        let allocation = try Self.created(.init(resourceClass: "baremetal"))
        let assigned: [NodeEvent] = [.allocationAssigned(allocation: Self.allocation, traits: [])]
        given(History.available + History.inMaintenance + assigned).when(.delete)
            .then([.allocationReleased(allocation: Self.allocation), .deleted])
        given(History.available + assigned).when(.delete).then(.nodeAssociated(node: ID.node, instance: Self.allocation), httpStatus: 409)
        let deleting = History.deleting + assigned
        guard case .success(let events) = given(deleting).when(.advance(event: .clean, error: nil)).outcome else {
            Issue.record("tear-down refused")
            return
        }
        #expect(events.last == .allocationReleased(allocation: Self.allocation))
        given(History.available + assigned).when(.update(patch: [["op": "remove", "path": "/instance_uuid"]]))
            .then([.updated(changes: ["instance_uuid": .null]), .allocationReleased(allocation: Self.allocation)])
        given(History.active + assigned).when(.update(patch: [["op": "remove", "path": "/instance_uuid"]])).thenRefused(httpStatus: 409)
        given(History.active + History.inMaintenance + assigned).when(.update(patch: [["op": "remove", "path": "/instance_uuid"]]))
            .then([.updated(changes: ["instance_uuid": .null]), .allocationReleased(allocation: Self.allocation)])
        #expect(allocation.state == .allocating)
    }

    @Test("delete: refused while the node is active or busy, unless in maintenance")
    func delete() throws {
        var allocation = try Self.created(.init(resourceClass: "baremetal"))
        allocation.nodeUUID = ID.node
        #expect(throws: DomainError.self) { try AllocationDecider.delete(allocation, node: Self.node { $0.provisionState = .active }) }
        #expect(throws: DomainError.self) {
            try AllocationDecider.delete(allocation, node: Self.node { $0.provisionState = .deploying; $0.targetProvisionState = .active })
        }
        #expect(try AllocationDecider.delete(allocation, node: Self.node { $0.provisionState = .active; $0.maintenance = true }).count == 1)
        let available = Self.node()
        #expect(try AllocationDecider.delete(allocation, node: available) == [.allocationDeleted(node: available.uuid)])
        #expect(try AllocationDecider.delete(allocation, node: nil) == [.allocationDeleted(node: nil)])
    }

    @Test("update (1.57): name and extra only")
    func update() throws {
        let allocation = try Self.created(.init(name: "a", resourceClass: "baremetal"))
        #expect(try AllocationDecider.update(allocation, patch: [["op": "replace", "path": "/name", "value": "b"], ["op": "add", "path": "/extra/k", "value": 1]])
            == [.allocationUpdated(changes: ["name": "b", "extra": ["k": 1]])])
        #expect(try AllocationDecider.update(allocation, patch: [["op": "replace", "path": "/name", "value": "a"]]) == [])
        #expect(throws: DomainError.self) { try AllocationDecider.update(allocation, patch: [["op": "replace", "path": "/resource_class", "value": "x"]]) }
        #expect(throws: DomainError.self) { try AllocationDecider.update(allocation, patch: [["op": "replace", "path": "/name", "value": "bad name"]]) }
    }

    @Test("events round-trip through their payloads and do not decode as node events")
    func coding() throws {
        let events: [AllocationEvent] = [
            .allocationCreated(allocation: try Self.created(.init(resourceClass: "baremetal"))), .nodeChosen(node: ID.node),
            .allocationFailed(error: "x"), .allocationUpdated(changes: ["name": "n"]), .allocationDeleted(node: nil),
        ]
        for event in events {
            let payload = try event.encodedPayload()
            #expect(try AllocationEvent.decode(payload: payload) == event)
            #expect((try? NodeEvent.decode(payload: payload)) == nil, "\(event.typeName)")
        }
    }
}
