import Domain

/// A node's BMC as its `driver_info` describes it for `ipmitool` (Ironic's
/// `ipmitool._parse_driver_info`): read and checked once per call, so a bad value is reported
/// before anything is sent.
public struct IPMIDriverInfo: Sendable, Hashable {
    /// The privilege levels `ipmitool -L` accepts.
    public static let privilegeLevels = ["ADMINISTRATOR", "CALLBACK", "OPERATOR", "USER"]
    /// The IPMI versions: `2.0` speaks RMCP+ (`-I lanplus`), `1.5` plain RMCP (`-I lan`).
    public static let protocolVersions = ["1.5", "2.0"]
    /// The UDP port a BMC listens on unless told otherwise.
    public static let defaultPort = 623

    /// `ipmi_address`: the BMC's IP address or host name.
    public var address: String
    /// `ipmi_port`, if set (ipmitool's default, 623, otherwise).
    public var port: Int?
    /// `ipmi_username`, if set (the anonymous user otherwise).
    public var username: String?
    /// `ipmi_password`; never put on a command line.
    public var password: String?
    /// `ipmi_protocol_version`: `2.0` (default) or `1.5`.
    public var protocolVersion: String
    /// `ipmi_priv_level`: the session's privilege level, `ADMINISTRATOR` by default.
    public var privilegeLevel: String
    /// `ipmi_cipher_suite`: passed as `-C` when set; otherwise ipmitool negotiates, as in Ironic.
    public var cipherSuite: Int?
    /// `ipmi_terminal_port`: the console's port, checked but not used by power or management.
    public var terminalPort: Int?
    /// `ipmi_disable_boot_timeout`: whether to switch off the BMC's 60-second boot-flag timeout
    /// before setting a boot device (default true).
    public var disableBootTimeout: Bool

    /// The BMC as messages name it: `address:port`.
    public var bmc: String { "\(address):\(port ?? Self.defaultPort)" }

    /// The `ipmitool -I` interface for the protocol version.
    public var interface: String { protocolVersion == "1.5" ? "lan" : "lanplus" }

    /// Reads and checks the node's `driver_info`; throws naming each missing or bad key.
    public init(_ task: DriverTask) throws(DriverError) {
        guard let address = task.info("ipmi_address"), !address.isEmpty else {
            throw .missingInfo(["ipmi_address"], interface: "ipmitool")
        }
        self.address = address
        port = try Self.integer(task, "ipmi_port", in: 1...65535, what: "a valid port")
        username = task.info("ipmi_username")
        password = task.info("ipmi_password")
        protocolVersion = task.info("ipmi_protocol_version") ?? "2.0"
        guard Self.protocolVersions.contains(protocolVersion) else {
            throw DriverError("Invalid IPMI protocol version value \(protocolVersion), the valid value can be one of "
                + Self.protocolVersions.joined(separator: ", ") + " (driver_info ipmi_protocol_version)")
        }
        privilegeLevel = (task.info("ipmi_priv_level") ?? "ADMINISTRATOR").uppercased()
        guard Self.privilegeLevels.contains(privilegeLevel) else {
            throw DriverError("Invalid privilege level value: \(privilegeLevel), the valid value can be one of "
                + Self.privilegeLevels.joined(separator: ", ") + " (driver_info ipmi_priv_level)")
        }
        cipherSuite = try Self.integer(task, "ipmi_cipher_suite", in: 0...17, what: "an IPMI cipher suite number (0-17)")
        terminalPort = try Self.integer(task, "ipmi_terminal_port", in: 1...65535, what: "a valid port")
        switch task.info("ipmi_disable_boot_timeout")?.lowercased() {
        case nil, "true", "1", "yes", "on": disableBootTimeout = true
        case "false", "0", "no", "off": disableBootTimeout = false
        case let other?: throw DriverError("driver_info ipmi_disable_boot_timeout must be true or false, not \"\(other)\"")
        }
    }

    private static func integer(_ task: DriverTask, _ key: String, in range: ClosedRange<Int>, what: String) throws(DriverError) -> Int? {
        guard let text = task.info(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw DriverError("driver_info \(key) \"\(text)\" is not \(what)")
        }
        return value
    }

    /// The `driver_info` keys the `ipmitool` interfaces read, with Ironic's descriptions.
    public static let properties: [DriverProperty] = [
        DriverProperty("ipmi_address", "IP address or hostname of the node.", required: true),
        DriverProperty("ipmi_port", "remote IPMI RMCP port; default is 623."),
        DriverProperty("ipmi_username", "username; default is NULL user."),
        DriverProperty("ipmi_password", "password; handed to ipmitool in a file readable only by the conductor, never on its command line."),
        DriverProperty("ipmi_protocol_version", "the version of the IPMI protocol; default is \"2.0\". One of \"1.5\", \"2.0\"."),
        DriverProperty("ipmi_priv_level", "privilege level; default is ADMINISTRATOR. One of \(privilegeLevels.joined(separator: ", "))."),
        DriverProperty("ipmi_cipher_suite", "The number of a cipher suite to use. Only 3 (AES-128 with SHA1) or 17 (AES-128 with SHA256) "
            + "should ever be used; 17 is preferred. The default value depends on the ipmitool version, some recent versions "
            + "have switched from 3 to 17."),
        DriverProperty("ipmi_disable_boot_timeout", "By default the conductor sends a raw IPMI command to disable the 60 second "
            + "timeout for booting. Setting this option to False will NOT send that command; default value is True."),
        DriverProperty("ipmi_terminal_port", "node's UDP port to connect to. Only required for console access."),
    ]
}
