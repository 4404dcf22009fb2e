/// The Ironic REST API microversions this server speaks.
///
/// The single source of truth for the advertised range: the root document, `GET /v1` and the
/// version headers on every response read these constants, so raising ``maximum`` is where a new
/// microversion starts.
///
/// The maximum is 1.115, the newest Ironic defines: every feature the microversion table adds up
/// to it is served, each from its own version (`docs/api.md` lists them, and what differs).
public enum APIVersion {
    /// The oldest microversion served, also the version of a request that names none.
    public static let minimum = "1.1"
    /// The newest microversion served.
    public static let maximum = "1.115"

    /// The range served by this build, ``minimum`` through ``maximum``.
    public static let served = VersionRange(minimum: MicroVersion(1), maximum: MicroVersion(115))
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
