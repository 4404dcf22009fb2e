import Hummingbird

/// The URL clients reach this server at, as links in documents must name it.
///
/// Like Ironic without `public_endpoint` set, it is built from the request: `http://` plus the
/// `Host` header. A request without a usable `Host` falls back to the bound address.
enum PublicBaseURL {
    /// `http://<authority>` for `request`, with no trailing slash.
    static func of(_ request: Request, configuration: ServerConfiguration) -> String {
        let authority = request.head.authority.flatMap { isPlausible(authority: $0) ? $0 : nil } ?? configuration.authority
        return "http://\(authority)"
    }

    /// Accepts host names, IPv4 and bracketed IPv6 literals with an optional port; refuses anything
    /// that could turn a link into something else (spaces, slashes, `@`, quotes…).
    static func isPlausible(authority: String) -> Bool {
        guard !authority.isEmpty, authority.utf8.count <= 255 else { return false }
        return authority.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", ":", "[", "]", "%": true
            default: false
            }
        }
    }
}
