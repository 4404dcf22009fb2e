import Domain

/// The document served at `GET /v1`: the version, its media type, and links to the resources
/// served, each from the microversion that introduced it (as Ironic's does): only what this
/// server answers, so every link it gives works.
enum V1Document {
    /// The collections linked, with the microversion each appears at.
    static let collections: [(name: String, minor: Int)] = [
        ("chassis", 1), ("nodes", 1), ("ports", 1), ("drivers", 1), ("lookup", 22), ("heartbeat", 22), ("portgroups", 23),
        ("volume", 32), ("conductors", 49), ("allocations", 52), ("events", 54), ("deploy_templates", 55),
        ("shards", 82), ("continue_inspection", 84), ("runbooks", 92), ("inspection_rules", 96),
    ]

    /// Where Ironic's `describedby` link points.
    static let describedBy = "https://docs.openstack.org/ironic/latest/contributor/webapi.html"

    /// The document for a server reached at `baseURL` negotiating within `range`, as `version` sees it.
    static func current(baseURL: String, range: VersionRange, version requested: MicroVersion) -> JSONValue {
        let version = VersionDocument.v1(baseURL: baseURL, range: range)
        var document: [String: JSONValue] = [
            "id": "v1",
            "links": [
                ["href": .string("\(baseURL)/v1/"), "rel": "self"],
                ["href": .string(describedBy), "rel": "describedby", "type": "text/html"],
            ],
            "media_types": [["base": "application/json", "type": "application/vnd.openstack.ironic.v1+json"]],
            "version": [
                "id": .string(version.id),
                "links": .array(version.links.map { ["href": .string($0.href), "rel": .string($0.rel)] }),
                "status": .string(version.status),
                "min_version": .string(version.minVersion),
                "version": .string(version.version),
            ],
        ]
        for (name, minor) in collections where requested.allows(minor) {
            document[name] = ResourceLinks.pair(baseURL: baseURL, path: "\(name)/")
        }
        return .object(document)
    }
}
