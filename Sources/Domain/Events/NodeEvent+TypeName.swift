import Foundation

extension NodeEvent {
    /// The schema version of every node event's payload. Bump it when a payload changes shape,
    /// and keep decoding the old shape.
    public static let schemaVersion: UInt16 = 1

    /// The event's type name in the log, e.g. `ProvisionStateChanged`.
    public var typeName: String {
        switch self {
        case .enrolled: "NodeEnrolled"
        case .updated: "NodeUpdated"
        case .deleted: "NodeDeleted"
        case .provisionStateChanged: "ProvisionStateChanged"
        case .inspectionRecorded: "InspectionRecorded"
        case .stepStarted: "StepStarted"
        case .stepFinished: "StepFinished"
        case .powerActionRequested: "PowerActionRequested"
        case .powerStateChanged: "PowerStateChanged"
        case .powerActionFailed: "PowerActionFailed"
        case .bootDeviceSet: "BootDeviceSet"
        case .maintenanceSet: "MaintenanceSet"
        case .maintenanceCleared: "MaintenanceCleared"
        case .lastErrorChanged: "LastErrorChanged"
        case .faultChanged: "FaultChanged"
        case .traitsSet: "TraitsSet"
        case .portCreated: "PortCreated"
        case .portUpdated: "PortUpdated"
        case .portDeleted: "PortDeleted"
        case .portGroupCreated: "PortGroupCreated"
        case .portGroupUpdated: "PortGroupUpdated"
        case .portGroupDeleted: "PortGroupDeleted"
        case .volumeConnectorCreated: "VolumeConnectorCreated"
        case .volumeConnectorUpdated: "VolumeConnectorUpdated"
        case .volumeConnectorDeleted: "VolumeConnectorDeleted"
        case .volumeTargetCreated: "VolumeTargetCreated"
        case .volumeTargetUpdated: "VolumeTargetUpdated"
        case .volumeTargetDeleted: "VolumeTargetDeleted"
        case .vifAttached: "VIFAttached"
        case .vifDetached: "VIFDetached"
        case .networkPhaseChanged: "NetworkPhaseChanged"
        case .vifNetworkBound: "VIFNetworkBound"
        case .switchPortConfigured: "SwitchPortConfigured"
        case .volumesAttached: "VolumesAttached"
        case .volumesDetached: "VolumesDetached"
        case .volumeAttached: "VolumeAttached"
        case .volumeDetached: "VolumeDetached"
        case .biosSettingsCached: "BIOSSettingsCached"
        case .firmwareComponentsCached: "FirmwareComponentsCached"
        case .indicatorSet: "IndicatorSet"
        case .bootModeSet: "BootModeSet"
        case .secureBootSet: "SecureBootSet"
        case .virtualMediaAttached: "VirtualMediaAttached"
        case .virtualMediaDetached: "VirtualMediaDetached"
        case .networkEventReceived: "NetworkEventReceived"
        case .inspectionPluginDataRecorded: "InspectionPluginDataRecorded"
        case .consoleModeSet: "ConsoleModeSet"
        case .vendorPassthruCalled: "VendorPassthruCalled"
        case .allocationAssigned: "AllocationAssigned"
        case .allocationReleased: "AllocationReleased"
        }
    }

    /// Encodes the event for the log: the compact binary form for the frequent kinds, JSON with
    /// sorted keys for the rest. Either way the same event always gives the same bytes.
    public func encodedPayload() throws -> Data {
        if let binary = NodeEventBinaryCoding.encode(self) { return binary }
        return try NodeEventCoding.encoder.encode(self)
    }

    /// The event as JSON whatever its log encoding — what exports and people read.
    public func jsonPayload() throws -> Data {
        try NodeEventCoding.encoder.encode(self)
    }

    /// Decodes an event the log holds.
    public static func decode(payload: Data) throws -> NodeEvent {
        try payload.withUnsafeBytes { try decode(payload: $0) }
    }

    /// Decodes a payload read in place (see `EnvelopeView`).
    public static func decode(payload: UnsafeRawBufferPointer) throws -> NodeEvent {
        if NodeEventBinaryCoding.isBinary(payload) { return try NodeEventBinaryCoding.decode(payload) }
        let json = try JSONParser.parse(payload)
        return try fastDecoded(from: json) ?? JSONValueDecoder().decode(NodeEvent.self, from: json)
    }
}

/// Shared coders for node events.
enum NodeEventCoding {
    nonisolated(unsafe) static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

}
