import Domain
import EventStore
import Foundation

/// What the fold needs of one envelope, read in place and decoded.
struct FoldItem: Sendable {
    let position: UInt64
    let streamVersion: UInt64
    let recordedAtMicroseconds: Int64
    let type: String
    let actor: String?
    let project: String?
    let requestID: String?
    /// The node of a node stream's event whose payload decoded.
    let node: UUID?
    let event: NodeEvent?
    /// The envelope of an allocation or deploy template stream.
    let record: RecordEntry?
}

/// A run of consecutive envelopes, read and decoded on every core: each core takes its own share
/// of the positions and reads it in place from the memory map, so no envelope is copied.
struct FoldBatch: Sendable {
    /// The shares in log order, each in log order.
    let shares: [[FoldItem]]

    /// The last position read, or `nil` if the log had nothing from `start`.
    var lastPosition: UInt64? { shares.last(where: { !$0.isEmpty })?.last?.position }

    /// Reads and decodes up to `limit` envelopes from `start`.
    init(from start: UInt64, limit: Int, in store: LMDBEventStore) throws {
        let workers = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        let share = (limit + workers - 1) / workers
        let results = ShareSlots(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            results.set(worker, Result {
                var names = NameCache()
                var items: [FoldItem] = []
                items.reserveCapacity(share)
                try store.withEnvelopes(from: start + UInt64(worker * share), limit: share) { view in
                    let node = NodeStream.node(ofStreamBytes: view.streamID)
                    var record: RecordEntry?
                    if node == nil, view.streamID.starts(with: AllocationStream.prefix.utf8) || view.streamID.starts(with: DeployTemplateStream.prefix.utf8)
                        || view.streamID.starts(with: ChassisStream.prefix.utf8) || view.streamID.starts(with: NetworkStream.prefix.utf8)
                        || view.streamID.starts(with: SwitchStream.prefix.utf8) || view.streamID.starts(with: RunbookStream.prefix.utf8)
                        || view.streamID.starts(with: InspectionRuleStream.prefix.utf8) {
                        record = RecordEntry(streamID: String(decoding: view.streamID, as: UTF8.self), streamVersion: view.streamVersion,
                                             recordedAtMicroseconds: view.recordedAtMicroseconds, payload: Data(view.payload))
                    }
                    items.append(FoldItem(
                        position: view.position, streamVersion: view.streamVersion, recordedAtMicroseconds: view.recordedAtMicroseconds,
                        type: names.string(view.type), actor: view.actor.map { names.string($0) },
                        project: view.project.map { names.string($0) }, requestID: view.requestID.map { String(decoding: $0, as: UTF8.self) },
                        node: node, event: node == nil ? nil : try? NodeEvent.decode(payload: view.payload), record: record
                    ))
                }
                return items
            })
        }
        var shares: [[FoldItem]] = []
        for result in results.values {
            let items = try result.get()
            if items.isEmpty { break }
            shares.append(items)
            // A short share means the log ended inside it: later shares are empty.
            if items.count < share { break }
        }
        self.shares = shares
    }
}

/// One `String` per distinct name (event type, actor, project), so a log's millions of envelopes
/// share a few dozen strings instead of allocating one each.
private struct NameCache {
    private var byHash: [UInt64: [String]] = [:]
    private var count = 0
    /// Beyond this many names, new ones are no longer remembered.
    private static let capacity = 4_096

    mutating func string(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        if let known = byHash[hash]?.first(where: { $0.utf8.elementsEqual(bytes) }) { return known }
        let string = String(decoding: bytes, as: UTF8.self)
        if count < Self.capacity {
            byHash[hash, default: []].append(string)
            count += 1
        }
        return string
    }
}

/// The shares of a batch that concurrent readers fill, each writing only its own index.
private final class ShareSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<[FoldItem], any Error>>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: .success([]))
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// Safe without a lock: every index is written by exactly one worker, into memory that is
    /// allocated once and never moves.
    func set(_ index: Int, _ result: Result<[FoldItem], any Error>) { slots[index] = result }

    var values: [Result<[FoldItem], any Error>] { Array(slots) }
}
