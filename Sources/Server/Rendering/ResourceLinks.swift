import Domain

/// Ironic's link pairs: `self` under `/v1`, and `bookmark` without it.
enum ResourceLinks {
    /// `[{"href": "<base>/v1/<path>", "rel": "self"}, {"href": "<base>/<path>", "rel": "bookmark"}]`.
    static func pair(baseURL: String, path: String) -> JSONValue {
        .array([
            .object(["href": .string("\(baseURL)/v1/\(path)"), "rel": "self"]),
            .object(["href": .string("\(baseURL)/\(path)"), "rel": "bookmark"]),
        ])
    }
}
