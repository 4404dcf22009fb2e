import Foundation

/// A bare-metal node as Ironic shows it: every field of `GET /v1/nodes/{id}` that the node itself
/// owns (links and sub-resources are the API's business).
///
/// Field names follow Ironic's wire names through `CodingKeys`, so a node encodes to the same JSON
/// document that JSON Patch edits and that clients read. Timestamps are microseconds since 1970,
/// taken from the envelopes of the events that set them.
public struct Node: Sendable, Hashable, Codable {
    public var uuid: UUID
    public var name: String?
    public var driver: String
    public var driverInfo: JSONValue = .emptyObject
    public var driverInternalInfo: JSONValue = .emptyObject
    public var extra: JSONValue = .emptyObject
    public var instanceInfo: JSONValue = .emptyObject
    public var instanceUUID: UUID?
    public var instanceName: String?
    public var properties: JSONValue = .emptyObject
    public var powerState: PowerState?
    public var targetPowerState: PowerState?
    public var provisionState: ProvisionState = .enroll
    public var targetProvisionState: ProvisionState?
    public var provisionUpdatedAt: Int64?
    public var lastError: String?
    public var maintenance = false
    public var maintenanceReason: String?
    public var fault: String?
    public var consoleEnabled = false
    public var chassisUUID: UUID?
    public var inspectionStartedAt: Int64?
    public var inspectionFinishedAt: Int64?
    public var cleanStep: JSONValue = .emptyObject
    public var deployStep: JSONValue = .emptyObject
    public var serviceStep: JSONValue = .emptyObject
    public var raidConfig: JSONValue = .emptyObject
    public var targetRAIDConfig: JSONValue = .emptyObject
    public var resourceClass: String?
    public var interfaces: [HardwareInterfaceKind: String] = [:]
    public var traits: [String] = []
    public var conductorGroup = ""
    public var automatedClean: Bool?
    public var protected = false
    public var protectedReason: String?
    public var owner: String?
    public var lessee: String?
    public var description: String?
    public var allocationUUID: UUID?
    public var retired = false
    public var retiredReason: String?
    public var networkData: JSONValue = .emptyObject
    public var bootMode: BootMode?
    public var secureBoot: Bool?
    public var shard: String?
    public var parentNode: String?
    public var disablePowerOff = false
    public var bootDevice: BootDevice?
    public var bootDevicePersistent: Bool?
    public var health: String?
    public var createdAt: Int64 = 0
    public var updatedAt: Int64?

    /// A new node of hardware type `driver`, in `enroll` with unknown power.
    public init(uuid: UUID, driver: String) {
        self.uuid = uuid
        self.driver = driver
    }

    /// The implementation a node uses for `kind`, once set (hardware-type defaults are filled in
    /// when the node is enrolled).
    public func interface(_ kind: HardwareInterfaceKind) -> String? { interfaces[kind] }

    /// Whether an operation is in flight: a provision target is set.
    public var isInTransition: Bool { targetProvisionState != nil }

    enum CodingKeys: String, CodingKey {
        case uuid, name, driver
        case driverInfo = "driver_info"
        case driverInternalInfo = "driver_internal_info"
        case extra
        case instanceInfo = "instance_info"
        case instanceUUID = "instance_uuid"
        case instanceName = "instance_name"
        case properties
        case powerState = "power_state"
        case targetPowerState = "target_power_state"
        case provisionState = "provision_state"
        case targetProvisionState = "target_provision_state"
        case provisionUpdatedAt = "provision_updated_at"
        case lastError = "last_error"
        case maintenance
        case maintenanceReason = "maintenance_reason"
        case fault
        case consoleEnabled = "console_enabled"
        case chassisUUID = "chassis_uuid"
        case inspectionStartedAt = "inspection_started_at"
        case inspectionFinishedAt = "inspection_finished_at"
        case cleanStep = "clean_step"
        case deployStep = "deploy_step"
        case serviceStep = "service_step"
        case raidConfig = "raid_config"
        case targetRAIDConfig = "target_raid_config"
        case resourceClass = "resource_class"
        case interfaces
        case traits
        case conductorGroup = "conductor_group"
        case automatedClean = "automated_clean"
        case protected
        case protectedReason = "protected_reason"
        case owner, lessee, description
        case allocationUUID = "allocation_uuid"
        case retired
        case retiredReason = "retired_reason"
        case networkData = "network_data"
        case bootMode = "boot_mode"
        case secureBoot = "secure_boot"
        case shard
        case parentNode = "parent_node"
        case disablePowerOff = "disable_power_off"
        case bootDevice = "boot_device"
        case bootDevicePersistent = "boot_device_persistent"
        case health
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
