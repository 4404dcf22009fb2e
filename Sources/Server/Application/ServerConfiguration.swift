/// Where the Ironic API server listens.
public struct ServerConfiguration: Sendable, Hashable {
    /// The host name or IP address to bind, e.g. `127.0.0.1`.
    public var host: String
    /// The TCP port to bind; Ironic's conventional port is 6385.
    public var port: Int

    /// Creates a configuration; the defaults are Ironic's: loopback, port 6385.
    public init(host: String = "127.0.0.1", port: Int = 6385) {
        self.host = host
        self.port = port
    }

    /// `host:port` as it appears in a URL, with an IPv6 literal bracketed.
    var authority: String {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(bracketed):\(port)"
    }
}
