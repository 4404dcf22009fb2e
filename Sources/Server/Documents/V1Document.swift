import Domain

/// The document served at `GET /v1`: the version, its media type, and links to the resources
/// served. Ironic's also links `chassis` and `drivers` (and, by version, more); this one links only
/// what this server answers, so every link it gives works.
enum V1Document {
    /// Where Ironic's `describedby` link points.
    static let describedBy = "https://docs.openstack.org/ironic/latest/contributor/webapi.html"

    /// The document for a server reached at `baseURL` negotiating within `range`.
    static func current(baseURL: String, range: VersionRange) -> JSONValue {
        let version = VersionDocument.v1(baseURL: baseURL, range: range)
        return [
            "id": "v1",
            "links": [
                ["href": .string("\(baseURL)/v1/"), "rel": "self"],
                ["href": .string(describedBy), "rel": "describedby", "type": "text/html"],
            ],
            "media_types": [["base": "application/json", "type": "application/vnd.openstack.ironic.v1+json"]],
            "nodes": ResourceLinks.pair(baseURL: baseURL, path: "nodes/"),
            "ports": ResourceLinks.pair(baseURL: baseURL, path: "ports/"),
            "version": [
                "id": .string(version.id),
                "links": .array(version.links.map { ["href": .string($0.href), "rel": .string($0.rel)] }),
                "status": .string(version.status),
                "min_version": .string(version.minVersion),
                "version": .string(version.version),
            ],
        ]
    }
}
