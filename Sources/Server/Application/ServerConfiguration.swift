/// Where the Ironic API server listens, and who may use it.
public struct ServerConfiguration: Sendable, Hashable {
    /// The host name or IP address to bind, e.g. `127.0.0.1`.
    public var host: String
    /// The TCP port to bind; Ironic's conventional port is 6385.
    public var port: Int
    /// How callers prove who they are.
    public var authentication: APIAuthentication
    /// The origins browsers may call the API from (CORS); `*` allows any, empty allows none.
    public var corsOrigins: [String]

    /// Creates a configuration; the defaults are Ironic's: loopback, port 6385, and — safe on
    /// loopback only — no authentication.
    public init(host: String = "127.0.0.1", port: Int = 6385, authentication: APIAuthentication = .none, corsOrigins: [String] = []) {
        self.host = host
        self.port = port
        self.authentication = authentication
        self.corsOrigins = corsOrigins
    }

    /// `host:port` as it appears in a URL, with an IPv6 literal bracketed.
    var authority: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(bracketed):\(port)"
    }

    /// Whether ``host`` reaches this machine only: `localhost`, an address in 127.0.0.0/8, or `::1`.
    public var isLoopback: Bool { LoopbackAddress.contains(host) }

    /// Whether the API would be open to anyone who can reach a non-loopback address.
    var isExposedWithoutAuthentication: Bool { !isLoopback && authentication == .none }

    /// Refuses to serve the API without authentication on an address other machines can reach,
    /// unless the operator said so with `--insecure-no-auth` (`insecureNoAuth`).
    public func checkExposure(insecureNoAuth: Bool) throws(ExposureError) {
        guard isExposedWithoutAuthentication, !insecureNoAuth else { return }
        throw ExposureError(host: host)
    }
}

/// How API callers authenticate, as Ironic's `auth_strategy`.
public enum APIAuthentication: Sendable, Hashable {
    /// Nobody is asked who they are (`noauth`); the caller is read from `X-User-Id`.
    case none
    /// HTTP basic auth against the users of an htpasswd file (`http_basic`).
    case httpBasic(HTPasswdFile)

    /// Ironic's name for the strategy: `noauth` or `http_basic`.
    public var strategyName: String {
        switch self {
        case .none: "noauth"
        case .httpBasic: "http_basic"
        }
    }
}

/// Serving without authentication on an address other machines can reach was not asked for.
public struct ExposureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The address asked for.
    public var host: String

    /// What is wrong and the two ways on.
    public var description: String {
        "refusing to serve the API without authentication on \(host), which is not a loopback address: "
            + "pass --htpasswd FILE to require HTTP basic auth (an htpasswd file of bcrypt hashes, `htpasswd -B`), "
            + "or --insecure-no-auth to serve it unauthenticated anyway"
    }
}
