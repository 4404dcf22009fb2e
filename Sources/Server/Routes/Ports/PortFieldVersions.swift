import Domain

/// The port fields Ironic shows, each with the microversion that first shows it (facts §3, §6.1).
///
/// Below its version a field is absent from every response, and refused with 406 in `fields=`, a
/// create body or a PATCH path.
enum PortFieldVersions {
    /// Every port field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = [
        "uuid": 1, "address": 1, "node_uuid": 1, "extra": 1, "created_at": 1, "updated_at": 1,
        "internal_info": 18, "local_link_connection": 19, "pxe_enabled": 19, "portgroup_uuid": 24,
        "physical_network": 34, "is_smartnic": 53, "name": 88, "description": 97, "vendor": 100, "category": 101,
    ]

    /// What a list shows without `detail` or `fields` (plus `links`).
    static let listDefault = ["uuid", "address"]

    /// Fields whose values are objects: not sortable.
    static let structured: Set<String> = ["extra", "internal_info", "local_link_connection"]

    /// Fields a client may not write.
    static let readOnly: Set<String> = ["uuid", "internal_info", "created_at", "updated_at"]

    /// The fields shown at `version`.
    static func fields(at version: MicroVersion) -> [String] {
        introduced.filter { version.allows($0.value) }.map(\.key).sorted()
    }

    /// Checks a `fields=` selection: unknown names are 400, names newer than `version` are 406.
    static func check(selection: [String], at version: MicroVersion) throws(IronicError) {
        let unknown = selection.filter { introduced[$0] == nil }
        if !unknown.isEmpty {
            throw .badRequest("Field(s) \"\(unknown.joined(separator: ", "))\" are not valid")
        }
        try checkWritable(selection, at: version)
    }

    /// `local_link_connection.network_type` (1.64): refused with 406 in a create body's link, or a
    /// patch that sets the link or the key, below it.
    static func checkNetworkType(create body: [String: JSONValue]? = nil, patch operations: [JSONValue] = [],
                                 at version: MicroVersion) throws(IronicError) {
        guard !version.allows(64) else { return }
        var uses = body?["local_link_connection"]?["network_type"] != nil
        for operation in operations {
            let path = operation["path"]?.stringValue ?? ""
            if path == "/local_link_connection/network_type" || (path == "/local_link_connection" && operation["value"]?["network_type"] != nil) {
                uses = true
            }
        }
        if uses { throw .needsVersion("The local_link_connection member \"network_type\"", 64, requested: version) }
    }

    /// Refuses names newer than `version` with 406.
    static func checkWritable(_ names: some Sequence<String>, at version: MicroVersion) throws(IronicError) {
        for name in names.sorted() {
            if let minor = introduced[name], !version.allows(minor) {
                throw .needsVersion("The field \"\(name)\"", minor, requested: version)
            }
        }
    }
}
