import Foundation

/// Folds a new report of BIOS settings or firmware components into the cache: an entry keeps
/// the time it was first cached, gains an update time when it changed, and entries the report no
/// longer has are dropped (as Ironic's `BIOSSetting.sync`).
enum HardwareRecordEvolution {
    static func cache(_ settings: [BIOSSetting], over current: [BIOSSetting], at time: Int64) -> [BIOSSetting] {
        let before = Dictionary(current.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        return settings.map { setting in
            var setting = setting
            if let old = before[setting.name] {
                setting.createdAt = old.createdAt
                setting.updatedAt = old.reported == setting.reported ? old.updatedAt : time
            } else {
                setting.createdAt = time
                setting.updatedAt = nil
            }
            return setting
        }
    }

    static func cache(_ components: [FirmwareComponent], over current: [FirmwareComponent], at time: Int64) -> [FirmwareComponent] {
        let before = Dictionary(current.map { ($0.component, $0) }, uniquingKeysWith: { _, last in last })
        return components.map { component in
            var component = component
            if let old = before[component.component] {
                component.createdAt = old.createdAt
                component.updatedAt = old.reported == component.reported ? old.updatedAt : time
            } else {
                component.createdAt = time
                component.updatedAt = nil
            }
            return component
        }
    }
}
