import Foundation

/// What the node's interfaces report about its hardware (BIOS settings, firmware components) and
/// what the API sets through them (indicators, boot mode, secure boot, virtual media, the
/// console), and the network events Neutron sends about its ports.
enum HardwareRecordDecisions {
    /// A report equal to the cache is no change; otherwise it replaces the cache, sorted by name.
    static func cacheBIOS(_ aggregate: NodeAggregate, settings: [BIOSSetting]) -> [NodeEvent] {
        let reported = Dictionary(settings.map { ($0.name, $0.reported) }, uniquingKeysWith: { _, last in last })
            .sorted { $0.key < $1.key }.map(\.value)
        return reported == aggregate.biosSettings.map(\.reported) ? [] : [.biosSettingsCached(settings: reported)]
    }

    /// As ``cacheBIOS(_:settings:)``, for firmware components.
    static func cacheFirmware(_ aggregate: NodeAggregate, components: [FirmwareComponent]) -> [NodeEvent] {
        let reported = Dictionary(components.map { ($0.component, $0.reported) }, uniquingKeysWith: { _, last in last })
            .sorted { $0.key < $1.key }.map(\.value)
        return reported == aggregate.firmwareComponents.map(\.reported) ? [] : [.firmwareComponentsCached(components: reported)]
    }

    /// Ironic refuses to change the boot mode while the node is in an unstable state (409).
    static func setBootMode(_ aggregate: NodeAggregate, mode: BootMode) throws(DomainError) -> [NodeEvent] {
        try requireStable(aggregate, "its boot mode")
        return aggregate.node.bootMode == mode ? [] : [.bootModeSet(mode: mode)]
    }

    /// As ``setBootMode(_:mode:)``, for secure boot.
    static func setSecureBoot(_ aggregate: NodeAggregate, enabled: Bool) throws(DomainError) -> [NodeEvent] {
        try requireStable(aggregate, "its secure boot state")
        return aggregate.node.secureBoot == enabled ? [] : [.secureBootSet(enabled: enabled)]
    }

    /// Ironic's `set_console_mode`: asking for the state the console is already in changes nothing.
    static func setConsoleMode(_ aggregate: NodeAggregate, enabled: Bool) -> [NodeEvent] {
        aggregate.node.consoleEnabled == enabled ? [] : [.consoleModeSet(enabled: enabled)]
    }

    /// Detaches `deviceTypes` (every attached one if `nil`); none attached is no change.
    static func detachVirtualMedia(_ aggregate: NodeAggregate, deviceTypes: [VirtualMediaDevice]?) -> [NodeEvent] {
        let attached = Set(aggregate.virtualMedia.map(\.deviceType))
        let detached = (deviceTypes.map(Set.init) ?? attached).intersection(attached).sorted()
        return detached.isEmpty ? [] : [.virtualMediaDetached(deviceTypes: detached)]
    }

    /// A network event is recorded on the node owning a port with the event's MAC address.
    static func recordNetworkEvent(_ aggregate: NodeAggregate, event: NetworkEvent) throws(DomainError) -> [NodeEvent] {
        let mac = event.macAddress.lowercased()
        guard aggregate.ports.values.contains(where: { $0.address.lowercased() == mac }) else {
            throw .resourceNotFound(kind: "Port", id: mac)
        }
        return [.networkEventReceived(event: event)]
    }

    private static func requireStable(_ aggregate: NodeAggregate, _ what: String) throws(DomainError) {
        let state = aggregate.node.provisionState
        if ProvisionState.unstable.contains(state) {
            throw .invalidState("Node \(aggregate.uuid.lowercased) is in the unstable state \(state.rawValue): \(what) can not be changed now.")
        }
    }
}
