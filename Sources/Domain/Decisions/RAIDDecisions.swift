/// The target RAID configuration (`PUT /states/raid`): the shape Ironic's RAID schema demands,
/// recorded as an `updated` event of `target_raid_config`.
enum RAIDDecisions {
    /// The RAID levels Ironic's schema accepts.
    static let levels: Set<String> = ["0", "1", "2", "5", "6", "1+0", "5+0", "6+0", "JBOD"]

    /// The members a logical disk may have (Ironic's schema has `additionalProperties: false`).
    static let diskMembers: Set<String> = [
        "raid_level", "size_gb", "volume_name", "is_root_volume", "share_physical_disks", "disk_type", "interface_type",
        "number_of_physical_disks", "controller", "physical_disks",
    ]

    /// `{}` clears the target; otherwise `logical_disks` is a non-empty list of disks, each with a
    /// `size_gb` (a positive integer or `"MAX"`) and a known `raid_level`.
    static func setTarget(_ aggregate: NodeAggregate, config: JSONValue) throws(DomainError) -> [NodeEvent] {
        guard case .object(let members) = config else {
            throw .invalidParameter("The RAID configuration must be a JSON object.")
        }
        if !members.isEmpty {
            for key in members.keys where key != "logical_disks" {
                throw .invalidParameter("The RAID configuration has an unexpected member \(key); only logical_disks is allowed.")
            }
            guard case .array(let disks)? = members["logical_disks"], !disks.isEmpty else {
                throw .invalidParameter("The RAID configuration needs logical_disks, a non-empty list.")
            }
            for (index, disk) in disks.enumerated() {
                guard case .object(let fields) = disk else { throw .invalidParameter("Logical disk \(index) must be an object.") }
                if let unknown = fields.keys.sorted().first(where: { !diskMembers.contains($0) }) {
                    throw .invalidParameter("Logical disk \(index) has an unexpected member \(unknown); allowed: \(diskMembers.sorted().joined(separator: ", ")).")
                }
                switch fields["size_gb"] {
                case .string("MAX")?: break
                case .number(let size)? where size > 0 && size.rounded() == size: break
                default: throw .invalidParameter("Logical disk \(index) needs size_gb, a positive integer or \"MAX\".")
                }
                guard let level = fields["raid_level"]?.stringValue, levels.contains(level) else {
                    throw .invalidParameter("Logical disk \(index) needs raid_level, one of \(levels.sorted().joined(separator: ", ")).")
                }
                if let root = fields["is_root_volume"], root.boolValue == nil {
                    throw .invalidParameter("Logical disk \(index): is_root_volume must be a boolean.")
                }
            }
        }
        guard config != aggregate.node.targetRAIDConfig else { return [] }
        return [.updated(changes: [NodeField.targetRAIDConfig.name: config])]
    }
}
