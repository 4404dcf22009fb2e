import Domain
import Foundation

/// A node's Redfish BMC as its `driver_info` describes it (Ironic's `redfish_*` keys), checked
/// without contacting the BMC.
public struct RedfishDriverInfo: Sendable, Hashable {
    /// How the BMC's TLS certificate is checked (`redfish_verify_ca`).
    public enum CertificateCheck: Sendable, Hashable {
        /// Against the system's trusted CAs (`true`, the default).
        case system
        /// Not at all (`false`): any certificate is accepted.
        case none
        /// Against the CA certificates in this PEM file, or in the PEM files of this directory.
        case caBundle(path: String)
    }

    /// The BMC's base URL, scheme included, without a trailing `/` (`https://10.0.0.5`).
    public let address: String
    /// The system's `@odata.id` path (`/redfish/v1/Systems/<id>`), or `nil` to use the BMC's only system.
    public let systemID: String?
    /// Basic-auth user name and password; `nil` sends no credentials.
    public let username: String?
    public let password: String?
    /// How the certificate is checked over HTTPS.
    public let certificateCheck: CertificateCheck

    /// The `driver_info` keys every Redfish interface reads.
    public static let properties: [DriverProperty] = [
        DriverProperty("redfish_address", "The URL of the Redfish controller, including the scheme (https assumed if missing), e.g. https://10.0.0.5.", required: true),
        DriverProperty("redfish_system_id", "The @odata.id of the ComputerSystem to manage, e.g. /redfish/v1/Systems/1. A bare id is taken as /redfish/v1/Systems/<id>. "
            + "Optional if the BMC has exactly one system."),
        DriverProperty("redfish_username", "User name for HTTP basic authentication. Default: none (no credentials sent)."),
        DriverProperty("redfish_password", "Password for HTTP basic authentication."),
        DriverProperty("redfish_verify_ca", "true (default) verifies the BMC's TLS certificate against the system's CAs, false skips verification, "
            + "a path uses the CA certificates in that PEM file or directory."),
        DriverProperty("redfish_auth_type", "basic or auto (both use HTTP basic authentication; session is not supported). Default: auto."),
    ]

    /// Reads and checks the keys in `task`'s `driver_info`.
    public init(_ task: DriverTask) throws(DriverError) {
        try self.init(info: task.info)
    }

    /// Reads and checks the keys `info` returns (a `driver_info` lookup).
    public init(info: (String) -> String?) throws(DriverError) {
        guard let rawAddress = info("redfish_address")?.trimmingCharacters(in: .whitespaces), !rawAddress.isEmpty else {
            throw DriverError.missingInfo(["redfish_address"], interface: "redfish")
        }
        address = try Self.normalize(address: rawAddress)
        if let id = info("redfish_system_id") { systemID = try Self.normalize(systemID: id) } else { systemID = nil }
        username = info("redfish_username").flatMap { $0.isEmpty ? nil : $0 }
        password = info("redfish_password")
        certificateCheck = try Self.certificateCheck(info("redfish_verify_ca"))
        switch info("redfish_auth_type")?.lowercased() {
        case nil, "auto", "basic": break
        case "session":
            throw DriverError("redfish_auth_type \"session\" is not supported: this Redfish driver authenticates with HTTP basic auth; use \"basic\" or \"auto\"")
        case let other?:
            throw DriverError("Invalid redfish_auth_type \"\(other)\": use one of basic, auto")
        }
    }

    /// `https://host[:port]` from what an operator wrote: https when the scheme is missing, no
    /// trailing `/` or `/redfish/v1`.
    static func normalize(address raw: String) throws(DriverError) -> String {
        var text = raw
        if !text.contains("://") { text = "https://" + text }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw DriverError("Invalid redfish_address \"\(raw)\": it must be a URL such as https://10.0.0.5 or http://127.0.0.1:8000")
        }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix("/redfish/v1") { path.removeLast("/redfish/v1".count) }
        if components.query != nil || components.fragment != nil || components.user != nil {
            throw DriverError("Invalid redfish_address \"\(raw)\": it must not carry credentials, a query or a fragment")
        }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)\(components.port.map { ":\($0)" } ?? "")\(path)"
    }

    /// The system's path: as given if it is one, `/redfish/v1/Systems/<id>` for a bare id.
    static func normalize(systemID raw: String) throws(DriverError) -> String? {
        var id = raw.trimmingCharacters(in: .whitespaces)
        if id.isEmpty { return nil }
        while id.count > 1, id.hasSuffix("/") { id.removeLast() }
        if id.hasPrefix("/") { return id }
        if id.contains("/") || id.contains("?") || id.contains("#") {
            throw DriverError("Invalid redfish_system_id \"\(raw)\": give the system's @odata.id, e.g. /redfish/v1/Systems/1")
        }
        return "/redfish/v1/Systems/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)
    }

    static func certificateCheck(_ raw: String?) throws(DriverError) -> CertificateCheck {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .system }
        switch raw.lowercased() {
        case "true", "yes", "on", "1": return .system
        case "false", "no", "off", "0": return .none
        default:
            guard FileManager.default.fileExists(atPath: raw) else {
                throw DriverError("Invalid redfish_verify_ca \"\(raw)\": it must be true, false, or the path of a CA bundle file or directory, and \(raw) does not exist")
            }
            return .caBundle(path: raw)
        }
    }

    /// `address` and `systemID` for messages: `https://10.0.0.5 system /redfish/v1/Systems/1`.
    var description: String { systemID.map { "\(address) system \($0)" } ?? address }
}
