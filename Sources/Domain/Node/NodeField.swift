import Foundation

/// The node fields a user may set on create and change with PATCH, with their wire names.
///
/// One place maps each field between the typed ``Node`` and JSON: JSON Patch edits the JSON
/// document, ``NodeEvent/updated`` carries the changed fields as JSON, and evolving applies them
/// back. A value of the wrong type is a ``DomainError/invalidField(_:reason:)``.
public enum NodeField: Hashable, Sendable, CaseIterable {
    case automatedClean, chassisUUID, conductorGroup, description, disablePowerOff, driver
    case driverInfo, extra, instanceInfo, instanceName, instanceUUID, lessee, maintenance
    case maintenanceReason, name, networkData, owner, parentNode, properties, protected
    case protectedReason, resourceClass, retired, retiredReason, shard, bootMode, secureBoot, consoleEnabled
    /// Set only by `PUT /states/raid` (``NodeCommand/setTargetRAIDConfig(_:)``), never by POST or PATCH.
    case targetRAIDConfig
    case interface(HardwareInterfaceKind)

    public static let allCases: [NodeField] = [
        .automatedClean, .chassisUUID, .conductorGroup, .description, .disablePowerOff, .driver,
        .driverInfo, .extra, .instanceInfo, .instanceName, .instanceUUID, .lessee, .maintenance,
        .maintenanceReason, .name, .networkData, .owner, .parentNode, .properties, .protected,
        .protectedReason, .resourceClass, .retired, .retiredReason, .shard, .bootMode, .secureBoot, .consoleEnabled,
        .targetRAIDConfig,
    ] + HardwareInterfaceKind.allCases.map { .interface($0) }

    /// Fields that PATCH may change (Ironic's list; `boot_mode`/`secure_boot` are set by their
    /// own endpoints, `maintenance_reason` with maintenance, `target_raid_config` with `/states/raid`).
    public static let patchable: Set<NodeField> = Set(allCases).subtracting([.bootMode, .secureBoot, .consoleEnabled, .targetRAIDConfig])

    /// Fields POST may set (`protected` is PATCH-only in Ironic's create schema).
    public static let creatable: Set<NodeField> = Set(allCases).subtracting([.protected, .protectedReason, .maintenanceReason, .targetRAIDConfig])

    /// The field's wire name.
    public var name: String {
        switch self {
        case .automatedClean: "automated_clean"
        case .chassisUUID: "chassis_uuid"
        case .conductorGroup: "conductor_group"
        case .description: "description"
        case .disablePowerOff: "disable_power_off"
        case .driver: "driver"
        case .driverInfo: "driver_info"
        case .extra: "extra"
        case .instanceInfo: "instance_info"
        case .instanceName: "instance_name"
        case .instanceUUID: "instance_uuid"
        case .lessee: "lessee"
        case .maintenance: "maintenance"
        case .maintenanceReason: "maintenance_reason"
        case .name: "name"
        case .networkData: "network_data"
        case .owner: "owner"
        case .parentNode: "parent_node"
        case .properties: "properties"
        case .protected: "protected"
        case .protectedReason: "protected_reason"
        case .resourceClass: "resource_class"
        case .retired: "retired"
        case .retiredReason: "retired_reason"
        case .shard: "shard"
        case .bootMode: "boot_mode"
        case .secureBoot: "secure_boot"
        case .consoleEnabled: "console_enabled"
        case .targetRAIDConfig: "target_raid_config"
        case .interface(let kind): kind.fieldName
        }
    }

    private static let byName: [String: NodeField] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The field with wire name `name`, if it is one.
    public init?(name: String) {
        guard let field = Self.byName[name] else { return nil }
        self = field
    }

    /// The field's value in `node`, as JSON.
    public func value(in node: Node) -> JSONValue {
        switch self {
        case .automatedClean: node.automatedClean.map(JSONValue.bool) ?? .null
        case .chassisUUID: node.chassisUUID.map { .string($0.uuidString.lowercased()) } ?? .null
        case .conductorGroup: .string(node.conductorGroup)
        case .description: node.description.map(JSONValue.string) ?? .null
        case .disablePowerOff: .bool(node.disablePowerOff)
        case .driver: .string(node.driver)
        case .driverInfo: node.driverInfo
        case .extra: node.extra
        case .instanceInfo: node.instanceInfo
        case .instanceName: node.instanceName.map(JSONValue.string) ?? .null
        case .instanceUUID: node.instanceUUID.map { .string($0.uuidString.lowercased()) } ?? .null
        case .lessee: node.lessee.map(JSONValue.string) ?? .null
        case .maintenance: .bool(node.maintenance)
        case .maintenanceReason: node.maintenanceReason.map(JSONValue.string) ?? .null
        case .name: node.name.map(JSONValue.string) ?? .null
        case .networkData: node.networkData
        case .owner: node.owner.map(JSONValue.string) ?? .null
        case .parentNode: node.parentNode.map(JSONValue.string) ?? .null
        case .properties: node.properties
        case .protected: .bool(node.protected)
        case .protectedReason: node.protectedReason.map(JSONValue.string) ?? .null
        case .resourceClass: node.resourceClass.map(JSONValue.string) ?? .null
        case .retired: .bool(node.retired)
        case .retiredReason: node.retiredReason.map(JSONValue.string) ?? .null
        case .shard: node.shard.map(JSONValue.string) ?? .null
        case .bootMode: node.bootMode.map { .string($0.rawValue) } ?? .null
        case .secureBoot: node.secureBoot.map(JSONValue.bool) ?? .null
        case .consoleEnabled: .bool(node.consoleEnabled)
        case .targetRAIDConfig: node.targetRAIDConfig
        case .interface(let kind): node.interfaces[kind].map(JSONValue.string) ?? .null
        }
    }

    /// Sets the field in `node` from JSON; throws if the value has the wrong type or form.
    /// `null` clears optional fields and resets dict fields to `{}`.
    public func set(_ value: JSONValue, in node: inout Node) throws(DomainError) {
        switch self {
        case .automatedClean: node.automatedClean = try optionalBool(value)
        case .chassisUUID: node.chassisUUID = try optionalUUID(value)
        case .conductorGroup: node.conductorGroup = (try optionalString(value) ?? "").lowercased()
        case .description:
            let text = try optionalString(value)
            guard (text?.count ?? 0) <= 4096 else { throw .invalidField(name, reason: "it is longer than 4096 characters") }
            node.description = text
        case .disablePowerOff: node.disablePowerOff = try optionalBool(value) ?? false
        case .driver:
            guard let driver = try optionalString(value), !driver.isEmpty else { throw .invalidField(name, reason: "a driver is required") }
            node.driver = driver
        case .driverInfo: node.driverInfo = try object(value)
        case .extra: node.extra = try object(value)
        case .instanceInfo: node.instanceInfo = try object(value)
        case .instanceName: node.instanceName = try optionalString(value)
        case .instanceUUID: node.instanceUUID = try optionalUUID(value)
        case .lessee: node.lessee = try optionalString(value)
        case .maintenance: node.maintenance = try optionalBool(value) ?? false
        case .maintenanceReason: node.maintenanceReason = try optionalString(value)
        case .name:
            if let name = try optionalString(value) {
                do { node.name = try NodeName(name).value } catch { throw .invalidField(self.name, reason: "\(error)") }
            } else {
                node.name = nil
            }
        case .networkData: node.networkData = try object(value)
        case .owner: node.owner = try optionalString(value)
        case .parentNode: node.parentNode = try optionalString(value)
        case .properties: node.properties = try object(value)
        case .protected: node.protected = try optionalBool(value) ?? false
        case .protectedReason: node.protectedReason = try optionalString(value)
        case .resourceClass:
            let resourceClass = try optionalString(value)
            guard (resourceClass?.count ?? 0) <= 80 else { throw .invalidField(name, reason: "it is longer than 80 characters") }
            node.resourceClass = resourceClass
        case .retired: node.retired = try optionalBool(value) ?? false
        case .retiredReason: node.retiredReason = try optionalString(value)
        case .shard: node.shard = try optionalString(value)
        case .bootMode:
            guard let mode = try optionalString(value) else { node.bootMode = nil; return }
            guard let parsed = BootMode(rawValue: mode) else { throw .invalidField(name, reason: "\(mode) is not uefi or bios") }
            node.bootMode = parsed
        case .secureBoot: node.secureBoot = try optionalBool(value)
        case .consoleEnabled: node.consoleEnabled = try optionalBool(value) ?? false
        case .targetRAIDConfig: node.targetRAIDConfig = try object(value)
        case .interface(let kind): node.interfaces[kind] = try optionalString(value)
        }
    }

    private func optionalString(_ value: JSONValue) throws(DomainError) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        default: throw .invalidField(name, reason: "it must be a string")
        }
    }

    private func optionalBool(_ value: JSONValue) throws(DomainError) -> Bool? {
        switch value {
        case .null: return nil
        case .bool(let flag): return flag
        case .string(let text) where ["true", "false", "True", "False"].contains(text): return text.lowercased() == "true"
        default: throw .invalidField(name, reason: "it must be a boolean")
        }
    }

    private func optionalUUID(_ value: JSONValue) throws(DomainError) -> UUID? {
        guard let text = try optionalString(value) else { return nil }
        guard let uuid = UUID(uuidString: text) else { throw .invalidField(name, reason: "\(text) is not a UUID") }
        return uuid
    }

    private func object(_ value: JSONValue) throws(DomainError) -> JSONValue {
        switch value {
        case .null: return .emptyObject
        case .object: return value
        default: throw .invalidField(name, reason: "it must be an object")
        }
    }
}
