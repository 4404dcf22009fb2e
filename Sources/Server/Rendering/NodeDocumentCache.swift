import Domain
import Foundation
import Synchronization

/// Node documents already written as JSON text, reused while the node does not change.
///
/// A node's document is a pure function of the node (its aggregate version says which state it
/// is in) and of how it is shown: the microversion, the link base URL, `fields` and whether the
/// sub-resource links are included. Keyed by all of these, a list of a thousand nodes that did
/// not change since the last list is assembled from stored text instead of being rendered again;
/// a node that changed gets a new version and is rendered afresh. The cache holds at most
/// ``capacity`` documents and starts over when full.
final class NodeDocumentCache: Sendable {
    /// How a document is shown: everything besides the node that its text depends on.
    struct Variant: Hashable, Sendable {
        var baseURL: String
        var version: MicroVersion
        var fields: [String]?
        var subResources: Bool
    }

    private struct Key: Hashable {
        var uuid: UUID
        var version: UInt64
        var variant: Variant
    }

    /// The most documents kept.
    let capacity: Int
    private let documents = Mutex<[Key: [UInt8]]>([:])

    /// A cache of at most `capacity` documents.
    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The JSON text of `aggregate` shown as `variant`: stored, or made by `render` and stored.
    func text(of aggregate: NodeAggregate, as variant: Variant, render: () -> JSONValue) -> [UInt8] {
        let key = Key(uuid: aggregate.uuid, version: aggregate.version, variant: variant)
        if let text = documents.withLock({ $0[key] }) { return text }
        var text: [UInt8] = []
        text.reserveCapacity(2048)
        JSONSerializer.write(render(), into: &text)
        documents.withLock { documents in
            if documents.count >= capacity { documents.removeAll(keepingCapacity: true) }
            documents[key] = text
        }
        return text
    }
}
