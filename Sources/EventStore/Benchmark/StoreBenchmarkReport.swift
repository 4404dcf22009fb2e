/// The figures `ironlog bench store` reports; its JSON keys are the contract of `--json`.
public struct StoreBenchmarkReport: Codable, Sendable {
    /// Durable appends with a number of concurrent writers, one 300-byte event per append.
    public struct AppendFigure: Codable, Sendable {
        /// Concurrent writers.
        public var writers: Int
        /// Acknowledged events per second.
        public var eventsPerSecond: Double
        /// Median append latency, from call to durable acknowledgement, in milliseconds.
        public var p50Milliseconds: Double
        /// 99th-percentile latency in milliseconds.
        public var p99Milliseconds: Double
        /// Median events per durable commit (group-commit batch).
        public var medianBatch: Int

        enum CodingKeys: String, CodingKey {
            case writers
            case eventsPerSecond = "events_per_s"
            case p50Milliseconds = "p50_ms"
            case p99Milliseconds = "p99_ms"
            case medianBatch = "median_batch"
        }
    }

    /// One row per writer count.
    public var append: [AppendFigure]
    /// Raw LMDB: durable commits of `rawBatchEvents` 300-byte values each, same machine, same run.
    public var rawAppendEventsPerSecond: Double
    /// Events per raw commit: the store's own median batch at the highest writer count.
    public var rawBatchEvents: Int
    /// The store's events/s at the highest writer count divided by the raw figure.
    public var appendToRawRatio: Double
    /// Reading and decoding every envelope of the replay log, per second.
    public var replayEventsPerSecond: Double
    /// A raw LMDB cursor over the same log, per second.
    public var rawScanPerSecond: Double
    /// Envelopes in the replay log.
    public var replayEvents: Int
    /// Payload bytes per event.
    public var payloadBytes: Int
    /// Durable or not, for the append figures.
    public var durable: Bool

    enum CodingKeys: String, CodingKey {
        case append
        case rawAppendEventsPerSecond = "raw_append_events_per_s"
        case rawBatchEvents = "raw_batch_events"
        case appendToRawRatio = "append_to_raw_ratio"
        case replayEventsPerSecond = "replay_events_per_s"
        case rawScanPerSecond = "raw_scan_per_s"
        case replayEvents = "replay_events"
        case payloadBytes = "payload_bytes"
        case durable
    }
}
