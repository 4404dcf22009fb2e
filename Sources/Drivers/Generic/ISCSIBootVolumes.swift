import Domain

/// The iSCSI volumes a node boots from, as iPXE's `sanhook` wants them: the boot volume (the
/// target with `boot_index` 0) on drive 0x80, other iSCSI targets on 0x81 and up, and the node's
/// initiator IQN (its `iqn` volume connector).
///
/// The connection comes from each target's `properties`, as the `external` storage interface has
/// them from the operator (Ironic's `cinder` interface would fill them in): `target_iqn`,
/// `target_portal` (`host:port`, port 3260 if left out; `[v6 address]:port`), `target_lun`, and
/// optional CHAP `auth_username` / `auth_password`. A `target_portals`/`target_iqns`/
/// `target_luns` list stands in for a missing singular, its first entry used, as Ironic does.
struct ISCSIBootVolumes: Sendable, Hashable {
    /// One volume iPXE attaches.
    struct Volume: Sendable, Hashable {
        /// iPXE's `iscsi:<host>::<port>:<lun, hex>:<target iqn>`.
        let url: String
        let username: String?
        let password: String?
    }

    /// The boot volume, then the others.
    let volumes: [Volume]
    /// The node's initiator name (`set initiator-iqn`), if it has an `iqn` connector.
    let initiatorIQN: String?

    /// The volumes of `task`, or an error naming the target and what it lacks.
    init(_ task: DriverTask) throws(DriverError) {
        guard let boot = task.volumeTargets.first(where: { $0.bootIndex == 0 }) else {
            throw DriverError("Node \(task.node.uuid.lowercased) has no boot volume: no volume target has boot_index 0")
        }
        guard Self.isISCSI(boot) else {
            throw DriverError("The boot volume \(boot.uuid.lowercased) of node \(task.node.uuid.lowercased) is of type \(boot.volumeType); "
                + "iPXE boots only iscsi volumes")
        }
        let others = task.volumeTargets.filter { $0.bootIndex != 0 && Self.isISCSI($0) }.sorted { $0.bootIndex < $1.bootIndex }
        var volumes: [Volume] = []
        for target in [boot] + others { volumes.append(try Self.volume(target)) }
        self.volumes = volumes
        initiatorIQN = task.volumeConnectors.first { $0.type == "iqn" }?.connectorID
    }

    /// Whether iPXE can attach `target`.
    static func isISCSI(_ target: VolumeTarget) -> Bool { target.volumeType.lowercased().contains("iscsi") }

    /// The properties `target` lacks for iPXE to attach it (empty if none).
    static func missingProperties(_ target: VolumeTarget) -> [String] {
        ["target_iqn", "target_portal", "target_lun"].filter { property(target.properties, $0) == nil }
    }

    private static func volume(_ target: VolumeTarget) throws(DriverError) -> Volume {
        let missing = missingProperties(target)
        guard missing.isEmpty, let iqn = property(target.properties, "target_iqn"),
              let portal = property(target.properties, "target_portal"), let lunText = property(target.properties, "target_lun") else {
            throw DriverError("The volume target \(target.uuid.lowercased) lacks properties iPXE needs to boot from it: \(missing.joined(separator: ", "))")
        }
        guard let lun = Int(lunText), lun >= 0 else {
            throw DriverError("The volume target \(target.uuid.lowercased) has target_lun \(lunText); it must be a whole number")
        }
        let (host, port) = split(portal)
        return Volume(url: "iscsi:\(host)::\(port):\(String(lun, radix: 16)):\(iqn)",
                      username: property(target.properties, "auth_username"), password: property(target.properties, "auth_password"))
    }

    /// `host:port` into its parts; an IPv6 host keeps its brackets, as iPXE reads it.
    private static func split(_ portal: String) -> (host: String, port: String) {
        if portal.hasPrefix("["), let close = portal.firstIndex(of: "]") {
            let host = String(portal[...close])
            let rest = portal[portal.index(after: close)...]
            return (host, rest.hasPrefix(":") ? String(rest.dropFirst()) : "3260")
        }
        let parts = portal.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : (portal, "3260")
    }

    /// A property as text: the value, or the first of its plural list.
    private static func property(_ properties: JSONValue, _ key: String) -> String? {
        func text(_ value: JSONValue?) -> String? {
            switch value {
            case .string(let text)? where !text.isEmpty: text
            case .number(let number)? where number.rounded() == number: String(Int64(number))
            case .array(let values)?: text(values.first)
            default: nil
            }
        }
        return text(properties[key]) ?? text(properties[key + "s"])
    }
}
