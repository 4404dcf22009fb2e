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
        "available_for_dynamic_portgroup": 111,
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

    /// The `local_link_connection` members a create body or a patch sets: the keys of a link
    /// given whole, and the member a `/local_link_connection/<key>` path names.
    static func linkKeys(create body: [String: JSONValue]?, patch operations: [JSONValue]) -> Set<String> {
        var keys = Set(body?["local_link_connection"]?.objectValue?.keys.map { $0 } ?? [])
        for operation in operations where operation["op"]?.stringValue != "remove" {
            let path = operation["path"]?.stringValue ?? ""
            if path == "/local_link_connection" {
                keys.formUnion(operation["value"]?.objectValue?.keys.map { $0 } ?? [])
            } else if path.hasPrefix("/local_link_connection/") {
                let key = path.dropFirst("/local_link_connection/".count).split(separator: "/").first.map(String.init) ?? ""
                keys.insert(key.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~"))
            }
        }
        return keys
    }

    /// The microversion range in which an OVN VTEP switch may be named in `local_link_connection`.
    static let ovnVTEP = (introduced: 90, withdrawn: 105)

    /// Checks the versioned `local_link_connection` members a create body or patch sets:
    /// `network_type` (1.64) is refused with 406 below it; the OVN VTEP keys
    /// (`vtep-logical-switch`, `vtep-physical-switch`) are refused with 406 below 1.90 and, since
    /// 1.105 withdrew them, with 400 from it.
    static func checkLinkMembers(create body: [String: JSONValue]? = nil, patch operations: [JSONValue] = [],
                                 at version: MicroVersion) throws(IronicError) {
        let keys = linkKeys(create: body, patch: operations)
        if keys.contains("network_type"), !version.allows(64) {
            throw .needsVersion("The local_link_connection member \"network_type\"", 64, requested: version)
        }
        for key in OVNVTEPLink.keys.sorted() where keys.contains(key) {
            if !version.allows(ovnVTEP.introduced) {
                throw .needsVersion("The local_link_connection member \"\(key)\"", ovnVTEP.introduced, requested: version)
            }
            if version.allows(ovnVTEP.withdrawn) {
                throw .badRequest("Invalid local_link_connection: the OVN VTEP member \"\(key)\" is not accepted from API "
                    + "version 1.\(ovnVTEP.withdrawn); version \(version) was requested.")
            }
        }
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
