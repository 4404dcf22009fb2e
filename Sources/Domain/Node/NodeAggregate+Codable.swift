import Foundation

/// A deterministic encoding: collections keyed by UUID are written as arrays sorted by UUID, so
/// the same aggregate always encodes to the same bytes (rebuilds are compared byte for byte).
extension NodeAggregate {
    enum CodingKeys: String, CodingKey {
        case node, ports, portGroups = "portgroups", volumeConnectors = "volume_connectors"
        case volumeTargets = "volume_targets", inventory, attachedVolumes = "attached_volumes"
        case networkPhase = "network_phase", deleted, version
        case biosSettings = "bios_settings", firmwareComponents = "firmware_components", indicators
        case virtualMedia = "virtual_media", pluginData = "plugin_data", switchPorts = "switch_ports"
    }

    /// One attached volume, as the aggregate stores it.
    private struct AttachedVolumeRow: Codable {
        var target: UUID
        var since: Int64
    }

    /// One indicator's recorded state, as the aggregate stores it.
    private struct IndicatorRow: Codable {
        var indicator: IndicatorID
        var state: IndicatorState
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        node = try container.decode(Node.self, forKey: .node)
        ports = Self.keyed(try container.decode([Port].self, forKey: .ports), by: \.uuid)
        portGroups = Self.keyed(try container.decode([PortGroup].self, forKey: .portGroups), by: \.uuid)
        volumeConnectors = Self.keyed(try container.decode([VolumeConnector].self, forKey: .volumeConnectors), by: \.uuid)
        volumeTargets = Self.keyed(try container.decode([VolumeTarget].self, forKey: .volumeTargets), by: \.uuid)
        inventory = try container.decodeIfPresent(JSONValue.self, forKey: .inventory)
        attachedVolumes = try Self.attachedVolumes(in: container)
        networkPhase = try container.decodeIfPresent(NetworkPhase.self, forKey: .networkPhase)
        deleted = try container.decode(Bool.self, forKey: .deleted)
        version = try container.decodeIfPresent(UInt64.self, forKey: .version) ?? 0
        biosSettings = try container.decodeIfPresent([BIOSSetting].self, forKey: .biosSettings) ?? []
        firmwareComponents = try container.decodeIfPresent([FirmwareComponent].self, forKey: .firmwareComponents) ?? []
        let rows = try container.decodeIfPresent([IndicatorRow].self, forKey: .indicators) ?? []
        indicators = Dictionary(rows.map { ($0.indicator, $0.state) }, uniquingKeysWith: { _, last in last })
        virtualMedia = try container.decodeIfPresent([VirtualMedia].self, forKey: .virtualMedia) ?? []
        pluginData = try container.decodeIfPresent(JSONValue.self, forKey: .pluginData)
        let states = try container.decodeIfPresent([SwitchPortState].self, forKey: .switchPorts) ?? []
        switchPorts = Dictionary(states.map { ($0.change.port, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node, forKey: .node)
        try container.encode(Self.sorted(ports), forKey: .ports)
        try container.encode(Self.sorted(portGroups), forKey: .portGroups)
        try container.encode(Self.sorted(volumeConnectors), forKey: .volumeConnectors)
        try container.encode(Self.sorted(volumeTargets), forKey: .volumeTargets)
        try container.encodeIfPresent(inventory, forKey: .inventory)
        let attached = attachedVolumes.sorted { $0.key.uuidString < $1.key.uuidString }.map { AttachedVolumeRow(target: $0.key, since: $0.value) }
        try container.encode(attached, forKey: .attachedVolumes)
        try container.encodeIfPresent(networkPhase, forKey: .networkPhase)
        try container.encode(deleted, forKey: .deleted)
        try container.encode(version, forKey: .version)
        // Written only when there is something, so aggregates without them keep their bytes.
        if !biosSettings.isEmpty { try container.encode(biosSettings, forKey: .biosSettings) }
        if !firmwareComponents.isEmpty { try container.encode(firmwareComponents, forKey: .firmwareComponents) }
        if !indicators.isEmpty {
            let rows = indicators.sorted { $0.key < $1.key }.map { IndicatorRow(indicator: $0.key, state: $0.value) }
            try container.encode(rows, forKey: .indicators)
        }
        if !virtualMedia.isEmpty { try container.encode(virtualMedia, forKey: .virtualMedia) }
        try container.encodeIfPresent(pluginData, forKey: .pluginData)
        if !switchPorts.isEmpty { try container.encode(Self.sorted(switchPorts), forKey: .switchPorts) }
    }

    /// The attached volumes with their times; a list of bare UUIDs (as earlier versions stored
    /// it) reads as attached at an unknown time, 0.
    private static func attachedVolumes(in container: KeyedDecodingContainer<CodingKeys>) throws -> [UUID: Int64] {
        if let rows = try? container.decode([AttachedVolumeRow].self, forKey: .attachedVolumes) {
            return Dictionary(rows.map { ($0.target, $0.since) }, uniquingKeysWith: { _, last in last })
        }
        return Dictionary(try container.decode([UUID].self, forKey: .attachedVolumes).map { ($0, 0) }, uniquingKeysWith: { _, last in last })
    }

    private static func sorted<Value>(_ values: [UUID: Value]) -> [Value] {
        values.sorted { $0.key.uuidString < $1.key.uuidString }.map(\.value)
    }

    private static func keyed<Value>(_ values: [Value], by key: (Value) -> UUID) -> [UUID: Value] {
        Dictionary(values.map { (key($0), $0) }, uniquingKeysWith: { _, last in last })
    }
}
