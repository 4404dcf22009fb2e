import Domain
import EventStore
import Foundation
import Projections
import Synchronization
import Testing

/// A clock the test sets by hand.
private final class TestClock: Sendable {
    private let value = Mutex<Int64>(1_000_000)
    var now: Int64 { value.withLock { $0 } }
    func set(_ time: Int64) { value.withLock { $0 = time } }
}

/// A store in a temporary directory with the projections open; removed afterwards.
private final class Fixture {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-proj-\(UUID().uuidString)").path
    let store: LMDBEventStore
    let clock = TestClock()

    init() throws {
        var options = StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly)
        let clock = self.clock
        options.clock = { clock.now }
        store = try LMDBEventStore(directory: directory, options: options)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func append(_ events: [NodeEvent], to node: UUID, at time: Int64) async throws {
        clock.set(time)
        _ = try await store.append(to: NodeStream.id(node), try events.map {
            ProposedEvent(type: $0.typeName, metadata: EventMetadata(actor: "tester"), payload: try $0.encodedPayload())
        })
    }

    static func enrolled(_ uuid: UUID, name: String) -> NodeEvent {
        var node = Node(uuid: uuid, driver: "fake-hardware")
        node.name = name
        return .enrolled(node: node)
    }
}

@Suite("Rebuild, catch-up, digests and as-of")
struct RebuildTests {
    @Test("a projection built by catching up equals one kept inline and one rebuilt, byte for byte")
    func catchUpInlineAndRebuildAgree() async throws {
        let fixture = try Fixture()
        let a = UUID(), b = UUID()
        try await fixture.append([Fixture.enrolled(a, name: "a")], to: a, at: 1_000_000)
        let projections = try await ProjectionSet.open(in: fixture.store)
        try await projections.catchUp()
        projections.registerInline()
        try await fixture.append([Fixture.enrolled(b, name: "b"), .maintenanceSet(reason: "disk")], to: b, at: 2_000_000)
        try await fixture.append([.portCreated(port: Port(uuid: UUID(), nodeUUID: a, address: "52:54:00:00:00:01"))], to: a, at: 3_000_000)
        let live = try ProjectionDigest.compute(projections)
        #expect(try projections.checkpoint() == 4)
        #expect(try await ProjectionRebuild.run(projections) == live)
    }

    @Test("a drifted projection row changes the digest, and a rebuild restores it")
    func rebuildRepairsDrift() async throws {
        let fixture = try Fixture()
        let projections = try await ProjectionSet.open(in: fixture.store)
        projections.registerInline()
        let node = UUID()
        try await fixture.append([Fixture.enrolled(node, name: "n1")], to: node, at: 1_000_000)
        let good = try ProjectionDigest.compute(projections)
        try await fixture.store.write { txn in
            try txn.put(Array("n1".utf8), forKey: Array("ghost".utf8), in: projections.nodes.tables.names)
        }
        #expect(try ProjectionDigest.compute(projections) != good)
        #expect(try await ProjectionRebuild.run(projections) == good)
    }

    @Test("as-of finds the position for a time, and folds a node and the fleet up to it")
    func asOfPositionAndTime() async throws {
        let fixture = try Fixture()
        let projections = try await ProjectionSet.open(in: fixture.store)
        projections.registerInline()
        let node = UUID()
        try await fixture.append([Fixture.enrolled(node, name: "n1")], to: node, at: 1_000_000)
        try await fixture.append([.maintenanceSet(reason: "fan")], to: node, at: 2_000_000)
        try await fixture.append([.maintenanceCleared, .deleted], to: node, at: 3_000_000)
        #expect(try AsOf.position(atTime: 999_999, in: fixture.store) == 0)
        #expect(try AsOf.position(atTime: 1_500_000, in: fixture.store) == 1)
        #expect(try AsOf.position(atTime: 2_000_000, in: fixture.store) == 2)
        #expect(try AsOf.position(atTime: 9_000_000, in: fixture.store) == 4)
        #expect(try AsOf.node(node, at: 1, in: fixture.store)?.node.maintenance == false)
        #expect(try AsOf.node(node, at: 2, in: fixture.store)?.node.maintenanceReason == "fan")
        #expect(try AsOf.node(node, at: 4, in: fixture.store) == nil)
        #expect(try AsOf.fleet(at: 2, in: fixture.store)[node]?.version == 2)
        #expect(try AsOf.fleet(at: 4, in: fixture.store).isEmpty)
        // The live projection agrees: the node is gone, and so is its name.
        #expect(try fixture.store.read { try NodeStore.aggregate(node, in: $0, tables: projections.nodes.tables) } == nil)
        #expect(ProjectedFleet(store: fixture.store, tables: projections.nodes.tables).node(named: "n1") == nil)
    }
}

@Suite("Network port bindings and volume attachments read models")
struct BindingReadModelTests {
    @Test("a VIF bind, a network flip and a volume attach show in the read models, and go with their resources")
    func bindingsAndAttachments() async throws {
        let fixture = try Fixture()
        let projections = try await ProjectionSet.open(in: fixture.store)
        projections.registerInline()
        let node = UUID(), port = UUID(), target = UUID(), connector = UUID()
        var nic = Port(uuid: port, nodeUUID: node, address: "52:54:00:00:00:09")
        nic.physicalNetwork = "physnet1"
        nic.localLinkConnection = ["switch_id": "0a:1b:2c:3d:4e:5f", "port_id": "Ethernet7"]
        try await fixture.append([
            Fixture.enrolled(node, name: "n1"), .portCreated(port: nic),
            .volumeTargetCreated(target: VolumeTarget(uuid: target, nodeUUID: node, volumeType: "iscsi", bootIndex: 0, volumeID: "vol-1")),
            .volumeConnectorCreated(connector: VolumeConnector(uuid: connector, nodeUUID: node, type: "iqn", connectorID: "iqn.2026-11.org.ironlog:n1")),
        ], to: node, at: 1_000_000)
        try await fixture.append([.vifAttached(vif: "vif-a", binding: .port(port)), .networkPhaseChanged(from: nil, to: .tenant),
                                  .volumesAttached(targets: [target])], to: node, at: 2_000_000)
        let tables = projections.nodes.tables
        let bindings = try fixture.store.read { try BindingReadModel.portBindings(in: $0, tables: tables) }
        #expect(bindings[port] == PortBindingRow(node: node, isPortGroup: false, address: "52:54:00:00:00:09",
                                                 localLinkConnection: nic.localLinkConnection, physicalNetwork: "physnet1",
                                                 pxeEnabled: true, portGroup: nil, vif: "vif-a", networkPhase: .tenant))
        let volumes = try fixture.store.read { try BindingReadModel.volumeAttachments(in: $0, tables: tables) }
        #expect(volumes[target]?.attached == true)
        #expect(volumes[target]?.bootVolume == true)
        #expect(volumes[connector]?.kind == .connector)

        let live = try ProjectionDigest.compute(projections)
        #expect(try await ProjectionRebuild.run(projections) == live)

        try await fixture.append([.vifDetached(vif: "vif-a", binding: .port(port)), .portDeleted(uuid: port),
                                  .volumesDetached(targets: [target])], to: node, at: 3_000_000)
        #expect(try fixture.store.read { try BindingReadModel.portBindings(in: $0, tables: tables) }.isEmpty)
        #expect(try fixture.store.read { try BindingReadModel.volumeAttachments(in: $0, tables: tables) }[target]?.attached == false)
    }
}
