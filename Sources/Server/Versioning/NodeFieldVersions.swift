/// The node fields Ironic shows, each with the microversion that first shows it (facts §2.1).
///
/// Below its version a field is absent from every response, refused with 406 in `fields=`, and
/// refused with 406 in a create body or a PATCH path.
enum NodeFieldVersions {
    /// Every node field by wire name → the minor version that introduced it.
    static let introduced: [String: Int] = {
        var table: [String: Int] = [:]
        for name in ["uuid", "created_at", "updated_at", "driver", "driver_info", "extra", "instance_info", "instance_uuid",
                     "properties", "power_state", "target_power_state", "provision_state", "target_provision_state",
                     "provision_updated_at", "last_error", "maintenance", "maintenance_reason", "console_enabled",
                     "reservation", "chassis_uuid"] {
            table[name] = 1
        }
        let later: [(String, Int)] = [
            ("driver_internal_info", 3), ("name", 5), ("inspection_started_at", 6), ("inspection_finished_at", 6),
            ("clean_step", 7), ("raid_config", 12), ("target_raid_config", 12), ("network_interface", 20),
            ("resource_class", 21), ("boot_interface", 31), ("console_interface", 31), ("deploy_interface", 31),
            ("inspect_interface", 31), ("management_interface", 31), ("power_interface", 31), ("raid_interface", 31),
            ("vendor_interface", 31), ("storage_interface", 33), ("traits", 37), ("rescue_interface", 38),
            ("bios_interface", 40), ("fault", 42), ("deploy_step", 44), ("conductor_group", 46), ("automated_clean", 47),
            ("protected", 48), ("protected_reason", 48), ("conductor", 49), ("owner", 50), ("description", 51),
            ("allocation_uuid", 52), ("retired", 61), ("retired_reason", 61), ("lessee", 65), ("network_data", 66),
            ("boot_mode", 75), ("secure_boot", 75), ("shard", 82), ("parent_node", 83), ("firmware_interface", 86),
            ("service_step", 87), ("disable_power_off", 95), ("instance_name", 104), ("health", 109),
        ]
        for (name, minor) in later { table[name] = minor }
        return table
    }()

    /// The sub-resource links a full node carries, with their versions.
    static let subResourceLinks: [(name: String, minor: Int)] = [("ports", 1), ("states", 14), ("portgroups", 24), ("volume", 32)]

    /// What `GET /v1/nodes` shows without `detail` or `fields` (plus `links`).
    static let listDefault = ["uuid", "name", "instance_uuid", "power_state", "provision_state", "maintenance"]

    /// Fields whose values are objects or lists: not sortable.
    static let structured: Set<String> = [
        "driver_info", "driver_internal_info", "extra", "instance_info", "properties", "clean_step", "deploy_step",
        "service_step", "raid_config", "target_raid_config", "network_data", "traits",
    ]

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
        for name in selection {
            if let minor = introduced[name], !version.allows(minor) {
                throw .needsVersion("The field \"\(name)\"", minor, requested: version)
            }
        }
    }
}
