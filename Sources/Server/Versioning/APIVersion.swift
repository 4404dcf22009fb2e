/// The Ironic REST API microversions this server speaks.
///
/// The single source of truth for the advertised range: the root document, `GET /v1` and the
/// version headers on every response read these constants, so raising ``maximum`` is where a new
/// microversion starts.
///
/// The maximum is 1.39, although every node feature up to 1.89 is served: what remains unserved
/// up to 1.89 is allocations (1.52 and later) and deploy templates (1.55), and the maximum is
/// raised once they are. Features above 1.39 are gated on their own versions. `docs/api.md`
/// lists the gaps.
public enum APIVersion {
    /// The oldest microversion served, also the version of a request that names none.
    public static let minimum = "1.1"
    /// The newest microversion served.
    public static let maximum = "1.39"

    /// The range served by this build, ``minimum`` through ``maximum``.
    public static let served = VersionRange(minimum: MicroVersion(1), maximum: MicroVersion(39))
}

/// A range of microversions a server negotiates within.
public struct VersionRange: Sendable, Hashable {
    /// The oldest version, used when a request names none.
    public var minimum: MicroVersion
    /// The newest version, what `latest` means.
    public var maximum: MicroVersion

    /// The range `minimum...maximum`.
    public init(minimum: MicroVersion, maximum: MicroVersion) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether `version` lies in the range.
    public func contains(_ version: MicroVersion) -> Bool { minimum <= version && version <= maximum }
}
