/// One microversion of Ironic's REST API v1, `1.N`.
///
/// Ironic only serves major version 1, so a microversion is its minor number; comparing two
/// microversions compares their minor numbers.
public struct MicroVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major version, always 1 for a version this server can serve.
    public let major: Int
    /// The minor version, the `N` of `1.N`.
    public let minor: Int

    /// `1.minor`.
    public init(_ minor: Int) {
        self.major = 1
        self.minor = minor
    }

    /// Any `major.minor`, as a client may ask for it.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `X.Y` (digits only, as Ironic's header parser accepts); `nil` for anything else.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    /// Whether this version is `1.minor` or later.
    public func allows(_ minor: Int) -> Bool { major > 1 || (major == 1 && self.minor >= minor) }

    /// `X.Y`.
    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: MicroVersion, rhs: MicroVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
