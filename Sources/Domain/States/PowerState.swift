/// A node's power state as Ironic reports it; unknown is `nil` at the node level.
public enum PowerState: String, Sendable, Hashable, Codable, CaseIterable {
    case on = "power on"
    case off = "power off"
    /// A hardware read that failed (ipmitool's `error`); clients treat it as unknown.
    case error
}

/// What `PUT /v1/nodes/{id}/states/power` may ask for.
public enum PowerTarget: String, Sendable, Hashable, Codable, CaseIterable {
    case on = "power on"
    case off = "power off"
    case rebooting
    case softOff = "soft power off"
    case softRebooting = "soft rebooting"

    /// The power state shown as `target_power_state` while the action runs.
    public var targetPowerState: PowerState {
        switch self {
        case .on, .rebooting, .softRebooting: .on
        case .off, .softOff: .off
        }
    }

    /// Whether the action needs microversion 1.27 (soft power actions).
    public var minimumMicroversion: Int {
        switch self {
        case .on, .off, .rebooting: 1
        case .softOff, .softRebooting: 27
        }
    }

    /// Whether this action ends with the node powered off.
    public var powersOff: Bool { self == .off || self == .softOff }
}

/// A boot device, with Ironic's API strings.
public enum BootDevice: String, Sendable, Hashable, Codable, CaseIterable {
    case pxe, disk, cdrom, bios, safe, wanboot, iscsiboot, floppy, uefihttp
}

/// A node's boot mode.
public enum BootMode: String, Sendable, Hashable, Codable, CaseIterable {
    case uefi, bios
}
