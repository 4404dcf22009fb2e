/// A catch-up-then-live stream of envelopes from a position.
///
/// There is no separate live channel to switch to: the subscription always reads the log by
/// position, up to the durable head, and waits for that head to move once it has read everything.
/// So no position is skipped or delivered twice whatever appends do meanwhile, no event a crash
/// could take back is ever delivered, and a slow consumer simply reads later (back-pressure comes
/// free). The sequence ends when the log closes.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let log: any EventLog
    let start: UInt64
    let batchSize: Int

    init(log: any EventLog, from position: UInt64, batchSize: Int) {
        self.log = log
        self.start = Swift.max(position, 1)
        self.batchSize = Swift.max(batchSize, 1)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(log: log, next: start, batchSize: batchSize)
    }

    /// Reads batches from the log, waiting for the head when it has caught up.
    public struct Iterator: AsyncIteratorProtocol {
        let log: any EventLog
        var next: UInt64
        let batchSize: Int
        var buffer: [RecordedEvent] = []
        var index = 0

        public mutating func next() async throws -> RecordedEvent? {
            while index == buffer.count {
                try Task.checkCancellation()
                guard let durable = try await log.waitForHead(atLeast: next) else { return nil }
                let available = durable - next + 1
                buffer = try await log.read(from: next, limit: Int(Swift.min(UInt64(batchSize), available)))
                index = 0
            }
            let event = buffer[index]
            index += 1
            next = event.position + 1
            return event
        }
    }
}
