import Domain
import Engine
import EventStore
import Foundation
import Projections

/// A live system in a fresh temporary data directory: the store (no fsync), its projections
/// registered inline, the node keyring, and the command handler — what the server runs.
///
/// The directory is removed when the fixture goes away (after closing the store).
final class LiveEngineFixture: Sendable {
    let directory: String
    let store: LMDBEventStore
    let projections: ProjectionSet
    let keyring: NodeKeyring
    let handler: NodeCommandHandler

    private init(directory: String, store: LMDBEventStore, projections: ProjectionSet, keyring: NodeKeyring, handler: NodeCommandHandler) {
        self.directory = directory
        self.store = store
        self.projections = projections
        self.keyring = keyring
        self.handler = handler
    }

    /// Opens a live system in a new temporary directory.
    static func open(_ label: String = "engine") async throws -> LiveEngineFixture {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ironlog-\(label)-\(UUID().uuidString)").path
        let store = try LMDBEventStore(directory: directory, options: StoreOptions(durability: .noSyncForTestsAndBenchmarksOnly))
        let projections = try await ProjectionSet.open(in: store)
        projections.registerInline()
        let keyring = try NodeKeyring(dataDirectory: directory)
        let handler = NodeCommandHandler(store: store, projections: projections, keyring: keyring)
        return LiveEngineFixture(directory: directory, store: store, projections: projections, keyring: keyring, handler: handler)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Every envelope of the log, in order.
    func allEvents() throws -> [RecordedEvent] {
        try store.events(from: 1, limit: .max)
    }

    /// Every node the projection holds, by UUID.
    func projectedFleet() throws -> [UUID: NodeAggregate] {
        let tables = projections.nodes.tables
        let all = try store.read { txn in try NodeStore.all(in: txn, tables: tables) }
        return Dictionary(uniqueKeysWithValues: all.map { ($0.uuid, $0) })
    }
}

/// Metadata as an API request would stamp it.
func requestMetadata(actor: String = "admin", project: String = "ops", requestID: String = "req-\(UUID().uuidString.lowercased())") -> EventMetadata {
    EventMetadata(actor: actor, project: project, requestID: requestID)
}

/// The minimal body of `POST /v1/nodes`.
func enrollFields(name: String? = nil, driver: String = "fake-hardware", extra: [String: JSONValue] = [:],
                  driverInfo: [String: JSONValue] = [:]) -> [String: JSONValue] {
    var fields: [String: JSONValue] = ["driver": .string(driver)]
    if let name { fields["name"] = .string(name) }
    if !extra.isEmpty { fields["extra"] = .object(extra) }
    if !driverInfo.isEmpty { fields["driver_info"] = .object(driverInfo) }
    return fields
}
