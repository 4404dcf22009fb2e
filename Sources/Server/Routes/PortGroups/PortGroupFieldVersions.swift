/// The port group fields Ironic shows, each with the microversion that first shows it (facts §2.5,
/// §6.2); port groups themselves exist from 1.23.
enum PortGroupFieldVersions {
    /// Every port group field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = [
        "uuid": 23, "address": 23, "name": 23, "node_uuid": 23, "extra": 23, "internal_info": 23,
        "standalone_ports_supported": 23, "created_at": 23, "updated_at": 23, "mode": 26, "properties": 26,
        "physical_network": 102, "category": 103, "dynamic_portgroup": 111,
    ]

    /// What a list shows without `detail` or `fields` (plus `links`).
    static let listDefault = ["uuid", "address", "name"]

    /// Fields whose values are objects: not sortable.
    static let structured: Set<String> = ["extra", "internal_info", "properties"]

    /// Fields a client may not write.
    static let readOnly: Set<String> = ["uuid", "internal_info", "created_at", "updated_at"]

    /// The fields shown at `version`.
    static func fields(at version: MicroVersion) -> [String] {
        introduced.filter { version.allows($0.value) }.map(\.key).sorted()
    }

    /// Checks a `fields=` selection: unknown names are 400, names newer than `version` are 406.
    static func check(selection: [String], at version: MicroVersion) throws(IronicError) {
        let unknown = selection.filter { introduced[$0] == nil }
        if !unknown.isEmpty { throw .badRequest("Field(s) \"\(unknown.joined(separator: ", "))\" are not valid") }
        try checkWritable(selection, at: version)
    }

    /// Refuses names newer than `version` with 406.
    static func checkWritable(_ names: some Sequence<String>, at version: MicroVersion) throws(IronicError) {
        for name in names.sorted() {
            if let minor = introduced[name], !version.allows(minor) { throw .needsVersion("The field \"\(name)\"", minor, requested: version) }
        }
    }
}
