import Domain
import EventStore
import Foundation
import Projections

/// A data directory opened for work, as Ironic's conductor is: the store, its projections caught
/// up and registered inline, the node keyring, and the command handler — what `ironlog serve`
/// runs on.
public final class Conductor: Sendable {
    /// The event log of the data directory.
    public let store: LMDBEventStore
    /// Every projection, caught up and registered inline.
    public let projections: ProjectionSet
    /// The per-node keys that seal secrets.
    public let keyring: NodeKeyring
    /// Where commands become events.
    public let commands: NodeCommandHandler

    /// Opens `directory`, brings lagging projections up to the log's head (reporting progress),
    /// then registers them inline so every later commit keeps them current.
    public static func open(directory: String, options: StoreOptions = StoreOptions(),
                            progress: ((UInt64, UInt64) -> Void)? = nil) async throws -> Conductor {
        let store = try LMDBEventStore(directory: directory, options: options)
        do {
            let projections = try await ProjectionSet.open(in: store)
            try await projections.catchUp(progress: progress)
            projections.registerInline()
            let keyring = try NodeKeyring(dataDirectory: directory)
            return Conductor(store: store, projections: projections, keyring: keyring)
        } catch {
            store.close()
            throw error
        }
    }

    private init(store: LMDBEventStore, projections: ProjectionSet, keyring: NodeKeyring) {
        self.store = store
        self.projections = projections
        self.keyring = keyring
        self.commands = NodeCommandHandler(store: store, projections: projections, keyring: keyring)
    }

    /// Makes everything durable and closes the store.
    public func close() { store.close() }
}
