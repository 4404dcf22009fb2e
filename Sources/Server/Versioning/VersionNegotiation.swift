import Foundation
import Hummingbird

/// Ironic's microversion negotiation (`ironic/api/controllers/base.py`, `v1/__init__.py`).
///
/// The standard `OpenStack-API-Version: baremetal 1.N` header is read first, then the legacy
/// `X-OpenStack-Ironic-API-Version: 1.N`. `latest` means the maximum; no header at all means the
/// **minimum** (old clients keep their old behaviour). Anything unparseable, another major
/// version, or a minor version outside the range is refused with 406 Not Acceptable.
public enum VersionNegotiation {
    /// The legacy request and response header.
    public static let legacyHeader = HTTPFields.Element.Name("X-OpenStack-Ironic-API-Version")!
    /// The standard request and response header, `baremetal 1.N`.
    public static let standardHeader = HTTPFields.Element.Name("OpenStack-API-Version")!
    /// The response header naming the oldest version served.
    public static let minimumHeader = HTTPFields.Element.Name("X-OpenStack-Ironic-API-Minimum-Version")!
    /// The response header naming the newest version served.
    public static let maximumHeader = HTTPFields.Element.Name("X-OpenStack-Ironic-API-Maximum-Version")!
    /// The service type in the standard header.
    public static let serviceType = "baremetal"

    /// The version `headers` ask for within `range`, or the 406 Ironic answers.
    public static func negotiate(_ headers: HTTPFields, range: VersionRange) throws(IronicError) -> MicroVersion {
        guard let requested = requestedValue(headers) else { return range.minimum }
        if requested.lowercased() == "latest" { return range.maximum }
        guard let version = MicroVersion(parsing: requested) else {
            throw IronicError(status: .notAcceptable, faultString: "Invalid value for X-OpenStack-Ironic-API-Version header")
        }
        guard version.major == 1 else {
            throw IronicError(status: .notAcceptable, faultString: "Mutually exclusive versions requested. Version \(version) "
                + "requested but not supported by this service. The supported version range is: [\(range.minimum), \(range.maximum)].")
        }
        guard range.contains(version) else {
            throw IronicError(status: .notAcceptable, faultString: "Version \(version) was requested but the minor version is not "
                + "supported by this service. The supported version range is: [\(range.minimum), \(range.maximum)].")
        }
        return version
    }

    /// The requested version text: the `baremetal` entry of the standard header if there is one,
    /// else the legacy header, else `nil`.
    static func requestedValue(_ headers: HTTPFields) -> String? {
        for field in headers[values: standardHeader] {
            for entry in field.split(separator: ",") {
                let words = entry.split(separator: " ", omittingEmptySubsequences: true)
                if words.count == 2, words[0].lowercased() == serviceType { return String(words[1]) }
            }
        }
        return headers[legacyHeader].map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Adds the version headers Ironic puts on every response: the range, and the effective
    /// version when one was negotiated.
    public static func stamp(_ headers: inout HTTPFields, range: VersionRange, effective: MicroVersion?) {
        headers[minimumHeader] = range.minimum.description
        headers[maximumHeader] = range.maximum.description
        if let effective {
            headers[legacyHeader] = effective.description
            headers[standardHeader] = "\(serviceType) \(effective)"
        }
    }
}
