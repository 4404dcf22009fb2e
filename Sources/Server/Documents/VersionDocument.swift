/// One major API version as Ironic describes it in its root document.
///
/// ```json
/// {"id": "v1", "links": [{"href": "http://host:6385/v1/", "rel": "self"}],
///  "status": "CURRENT", "min_version": "1.1", "version": "1.1"}
/// ```
public struct VersionDocument: Codable, Sendable, Equatable {
    /// The major version's id, `v1`.
    public var id: String
    /// A `self` link to the version's endpoint.
    public var links: [LinkDocument]
    /// `CURRENT` for the version clients should use.
    public var status: String
    /// The oldest microversion served.
    public var minVersion: String
    /// The newest microversion served.
    public var version: String

    /// Creates a version document.
    public init(id: String, links: [LinkDocument], status: String, minVersion: String, version: String) {
        self.id = id
        self.links = links
        self.status = status
        self.minVersion = minVersion
        self.version = version
    }

    /// API v1 with the microversion range `range` (by default ``APIVersion/served``), served under
    /// `baseURL` (no trailing slash).
    public static func v1(baseURL: String, range: VersionRange = APIVersion.served) -> VersionDocument {
        VersionDocument(
            id: "v1",
            links: [LinkDocument(href: "\(baseURL)/v1/", rel: "self")],
            status: "CURRENT",
            minVersion: range.minimum.description,
            version: range.maximum.description
        )
    }

    private enum CodingKeys: String, CodingKey {
        case id, links, status
        case minVersion = "min_version"
        case version
    }
}
