import Domain
import Foundation

/// `ipmitool` management (Ironic's `ipmitool.IPMIManagement`): the next boot device — once or
/// for every boot, legacy or UEFI — read back from the BMC, and the NMI.
///
/// Setting a device first switches off the BMC's 60-second boot-flag timeout (unless
/// `ipmi_disable_boot_timeout` is false), then sends `chassis bootdev` for a legacy-boot node or
/// Ironic's raw Set System Boot Options bytes for a UEFI node. `ipmitool` exits 0 when the BMC
/// refuses a boot device, so its stderr is read too: a refusal is a ``DriverError``.
public struct IPMIManagement: ManagementInterface, NMIInjecting {
    public let name = "ipmitool"
    /// Runs the commands; shared with ``IPMIPower``.
    public let tool: IPMITool

    /// Management through `tool` (by default ``IPMITool/standard``).
    public init(tool: IPMITool = .standard) { self.tool = tool }

    public var properties: [DriverProperty] { IPMIDriverInfo.properties }

    /// Checks `driver_info` as ``IPMIPower`` does.
    public func validate(_ task: DriverTask) throws(DriverError) {
        _ = try IPMIDriverInfo(task)
    }

    /// The devices Ironic's ipmitool management sets.
    public func supportedBootDevices(_ task: DriverTask) -> [BootDevice] { [.pxe, .disk, .cdrom, .bios, .safe] }

    /// `chassis bootparam get 5`, parsed. Many BMCs (ipmi_sim among them) keep only the device
    /// and report every override as for the next boot only.
    public func bootDevice(_ task: DriverTask) async throws(DriverError) -> (device: BootDevice?, persistent: Bool?) {
        let output = try await tool.run(["chassis", "bootparam", "get", "5"], on: IPMIDriverInfo(task))
        let parsed = IPMIBootParameters.parse(output.standardOutput)
        return (parsed.device, parsed.persistent)
    }

    public func setBootDevice(_ task: DriverTask, _ device: BootDevice, persistent: Bool) async throws(DriverError) {
        let info = try IPMIDriverInfo(task)
        for command in try commands(task, device, persistent: persistent, info: info) {
            _ = try await tool.run(command, on: info)
        }
    }

    /// The `ipmitool` commands that set `device`, in order: the boot-flag timeout switched off
    /// (unless `ipmi_disable_boot_timeout` is false), then the device — raw bytes when the node
    /// boots UEFI, `chassis bootdev` otherwise.
    public func commands(_ task: DriverTask, _ device: BootDevice, persistent: Bool, info: IPMIDriverInfo) throws(DriverError) -> [[String]] {
        guard supportedBootDevices(task).contains(device) else {
            throw DriverError("Invalid boot device \(device.rawValue) specified, supported boot devices are: "
                + supportedBootDevices(task).map(\.rawValue).joined(separator: ", "))
        }
        var commands: [[String]] = info.disableBootTimeout ? [IPMIBootParameters.disableTimeoutCommand] : []
        if bootMode(task.node) == .uefi, let raw = IPMIBootParameters.uefiCommand(device, persistent: persistent) {
            commands.append(raw)
        } else {
            commands.append(IPMIBootParameters.legacyCommand(device, persistent: persistent))
        }
        return commands
    }

    /// Sends a diagnostic interrupt (NMI) to the node (`chassis power diag`), for a kernel dump
    /// of a hung OS. BMCs that do not implement it answer with an error, reported as is.
    public func injectNMI(_ task: DriverTask) async throws(DriverError) {
        _ = try await tool.run(["chassis", "power", "diag"], on: IPMIDriverInfo(task))
    }

    /// The node's boot mode as Ironic's `boot_mode_utils.get_boot_mode` finds it:
    /// `instance_info.deploy_boot_mode`, then the `boot_mode` capability in `properties`, then the
    /// node's recorded `boot_mode`, then ``IPMIConfiguration/defaultBootMode``.
    public func bootMode(_ node: Node) -> BootMode {
        if case .string(let mode)? = node.instanceInfo["deploy_boot_mode"], let parsed = BootMode(rawValue: mode.lowercased()) {
            return parsed
        }
        if let capability = Self.capability("boot_mode", in: node.properties), let parsed = BootMode(rawValue: capability.lowercased()) {
            return parsed
        }
        return node.bootMode ?? tool.configuration.defaultBootMode
    }

    /// A capability from `properties.capabilities`, written `key:value,key:value` (or as an object).
    static func capability(_ key: String, in properties: JSONValue) -> String? {
        switch properties["capabilities"] {
        case .string(let text)?:
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == key { return parts[1] }
            }
            return nil
        case .object(let object)?:
            if case .string(let value)? = object[key] { return value }
            return nil
        default:
            return nil
        }
    }
}
