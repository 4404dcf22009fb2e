import Hummingbird

/// The document served at `GET /`: Ironic's version discovery, plus an `ironlog` section.
///
/// Clients (python-ironicclient, openstacksdk, gophercloud) read `default_version` and `versions`
/// to negotiate a microversion; they ignore the extra `ironlog` key.
public struct RootDocument: Codable, Sendable, Equatable {
    /// Ironic's service name.
    public static let serviceName = "OpenStack Ironic API"
    /// Ironic's service description.
    public static let serviceDescription =
        "Ironic is an OpenStack project which enables the provision and management of baremetal machines."

    /// The service name, ``serviceName``.
    public var name: String
    /// The service description, ``serviceDescription``.
    public var description: String
    /// The version clients should use.
    public var defaultVersion: VersionDocument
    /// Every major version served.
    public var versions: [VersionDocument]
    /// Ironlog's own build and log position.
    public var ironlog: IronlogStatusDocument

    /// Creates a root document.
    public init(
        name: String, description: String, defaultVersion: VersionDocument,
        versions: [VersionDocument], ironlog: IronlogStatusDocument
    ) {
        self.name = name
        self.description = description
        self.defaultVersion = defaultVersion
        self.versions = versions
        self.ironlog = ironlog
    }

    /// The root document for a server reached at `baseURL`, negotiating within `range`, whose
    /// log ends at `logHead`.
    public static func current(baseURL: String, logHead: UInt64, range: VersionRange = APIVersion.served) -> RootDocument {
        let v1 = VersionDocument.v1(baseURL: baseURL, range: range)
        return RootDocument(
            name: serviceName,
            description: serviceDescription,
            defaultVersion: v1,
            versions: [v1],
            ironlog: IronlogStatusDocument(version: IronlogVersion.current, logHead: logHead)
        )
    }

    private enum CodingKeys: String, CodingKey {
        case name, description
        case defaultVersion = "default_version"
        case versions, ironlog
    }
}

extension RootDocument: ResponseEncodable {}
