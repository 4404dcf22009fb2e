/// A link in an Ironic document: `{"href": "…", "rel": "self"}`.
public struct LinkDocument: Codable, Sendable, Equatable {
    /// The absolute URL.
    public var href: String
    /// The relation, e.g. `self` or `bookmark`.
    public var rel: String

    /// Creates a link.
    public init(href: String, rel: String) {
        self.href = href
        self.rel = rel
    }
}
