import Domain

/// The IPMI boot-flag parameter (System Boot Options parameter 5) as Ironic reads and writes it:
/// `chassis bootdev` for legacy boot, raw bytes for UEFI (IPMI 2.0 predates UEFI, so
/// `chassis bootdev` cannot say "EFI" on every ipmitool), and the text of
/// `chassis bootparam get 5` read back.
public enum IPMIBootParameters {
    /// The raw command that switches off the BMC's 60-second boot-flag timeout (parameter 3,
    /// "don't clear the valid bit on timeout"), sent before each boot device unless
    /// `ipmi_disable_boot_timeout` is false.
    public static let disableTimeoutCommand = ["raw", "0x00", "0x08", "0x03", "0x08"]

    /// The device selector byte of the UEFI raw command for each settable device.
    public static let uefiDeviceSelector: [BootDevice: String] = [
        .pxe: "0x04", .disk: "0x08", .cdrom: "0x14", .bios: "0x18", .safe: "0x0c",
    ]

    /// `chassis bootdev <device> [options=persistent]`, as for a legacy-boot node.
    public static func legacyCommand(_ device: BootDevice, persistent: Bool) -> [String] {
        ["chassis", "bootdev", device.rawValue] + (persistent ? ["options=persistent"] : [])
    }

    /// `raw 0x00 0x08 0x05 <flags> <device> 0x00 0x00 0x00`: Set System Boot Options,
    /// parameter 5, with the valid and EFI bits set, and the persistent bit when asked
    /// (`0xe0`, else `0xa0`).
    public static func uefiCommand(_ device: BootDevice, persistent: Bool) -> [String]? {
        guard let selector = uefiDeviceSelector[device] else { return nil }
        return ["raw", "0x00", "0x08", "0x05", persistent ? "0xe0" : "0xa0", selector, "0x00", "0x00", "0x00"]
    }

    /// The device and persistence in `chassis bootparam get 5` output, read as Ironic reads it
    /// (`Boot Device Selector : Force PXE`, `Options apply to all future boots`). The device is
    /// nil when there is no override.
    public static func parse(_ output: String) -> (device: BootDevice?, persistent: Bool) {
        var device: BootDevice?
        if let line = output.split(whereSeparator: \.isNewline).first(where: { $0.contains("Boot Device Selector :") }) {
            let selector = line.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
            if selector.contains("PXE") {
                device = .pxe
            } else if selector.contains("Hard-Drive") {
                device = selector.contains("Safe-Mode") ? .safe : .disk
            } else if selector.contains("BIOS") {
                device = .bios
            } else if selector.contains("CD/DVD") {
                device = .cdrom
            }
        }
        return (device, output.contains("Options apply to all future boots"))
    }
}
