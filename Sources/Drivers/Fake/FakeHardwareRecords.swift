import Domain

/// What fake hardware reports about itself: a fixed set of BIOS settings (with registry fields)
/// and firmware components, the same for every node, so tests and demos can rely on them.
public enum FakeHardwareRecords {
    /// The fake BIOS's settings as shipped.
    public static let defaultBIOSSettings: [BIOSSetting] = [
        BIOSSetting(name: "BootMode", value: "Uefi", attributeType: "Enumeration", allowableValues: ["Bios", "Uefi"],
                    readOnly: false, resetRequired: true, unique: false),
        BIOSSetting(name: "HyperThreading", value: "Enabled", attributeType: "Enumeration", allowableValues: ["Disabled", "Enabled"],
                    readOnly: false, resetRequired: true, unique: false),
        BIOSSetting(name: "ProcVirtualization", value: "Enabled", attributeType: "Enumeration",
                    allowableValues: ["Disabled", "Enabled"], readOnly: false, resetRequired: true, unique: false),
        BIOSSetting(name: "NumCores", value: "16", attributeType: "Integer", lowerBound: 1, readOnly: false,
                    resetRequired: true, unique: false, upperBound: 64),
        BIOSSetting(name: "AssetTag", value: "ironlog-fake", attributeType: "String", maxLength: 32, minLength: 0,
                    readOnly: false, resetRequired: false, unique: true),
        BIOSSetting(name: "SerialNumber", value: "FAKE-0001", attributeType: "String", maxLength: 16, minLength: 1,
                    readOnly: true, resetRequired: false, unique: true),
    ]

    /// The fake machine's firmware components.
    public static let firmwareComponents: [FirmwareComponent] = [
        FirmwareComponent(component: "bios", initialVersion: "1.0.0", vendor: "Ironlog", model: "Fake BIOS"),
        FirmwareComponent(component: "bmc", initialVersion: "2.1.0", vendor: "Ironlog", model: "Fake BMC", serialNumber: "FAKE-BMC-0001"),
    ]

    /// The default settings with `applied` values over them.
    static func biosSettings(applied: [String: String]) -> [BIOSSetting] {
        defaultBIOSSettings.map { setting in
            var setting = setting
            if let value = applied[setting.name] { setting.value = value }
            return setting
        }
    }

    /// `apply_configuration` notes its settings on the fake machine; `factory_reset` forgets them.
    static func applyBIOSStep(_ step: Step, _ behaviour: FakeBehaviour, _ task: DriverTask) {
        switch step.name {
        case "apply_configuration":
            var applied: [String: String] = [:]
            for setting in step.args["settings"]?.arrayValue ?? [] {
                guard let name = setting["name"]?.stringValue, let value = setting["value"] else { continue }
                applied[name] = value.stringValue ?? "\(value)"
            }
            behaviour.recordBIOSSettings(applied, of: task.node.uuid)
        case "factory_reset":
            behaviour.recordBIOSSettings(nil, of: task.node.uuid)
        default:
            break
        }
    }
}
