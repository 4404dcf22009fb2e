/// How many events of the log the engine's followers have yet to process: the log's head position
/// minus each follower's position.
///
/// Projections are folded inside each commit, so their lag is 0 unless a catch-up is running. The
/// reactor follows the log on its own task; a lag that stays high means work is piling up.
public struct ConsumerLag: Sendable, Hashable {
    /// The log's head position.
    public var head: UInt64
    /// Head minus the lowest projection checkpoint.
    public var projections: UInt64
    /// Head minus the last position the provisioning reactor handed on.
    public var reactor: UInt64

    /// Creates a reading.
    public init(head: UInt64, projections: UInt64, reactor: UInt64) {
        self.head = head
        self.projections = projections
        self.reactor = reactor
    }
}
