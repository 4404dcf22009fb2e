/// Ironlog's own section of the root document: `{"version": "0.1.0", "log_head": 42}`.
public struct IronlogStatusDocument: Codable, Sendable, Equatable {
    /// The Ironlog release, ``IronlogVersion/current``.
    public var version: String
    /// The position of the last event in the log; 0 for an empty log.
    public var logHead: UInt64

    /// Creates the section.
    public init(version: String, logHead: UInt64) {
        self.version = version
        self.logHead = logHead
    }

    private enum CodingKeys: String, CodingKey {
        case version
        case logHead = "log_head"
    }
}
