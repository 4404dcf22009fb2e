#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A loopback port nothing listens on: the one the kernel picks when a socket is bound to port 0
/// on 127.0.0.1. The socket is closed before returning, so the port can (rarely) be taken again
/// before the caller binds it. Benchmarks and tests start their servers and emulators on these.
public enum LoopbackPort {
    /// The transport a port is for.
    public enum Transport: Sendable {
        case tcp, udp

        var socketType: Int32 {
            switch self {
            case .tcp: Int32(SOCK_STREAM.rawValue)
            case .udp: Int32(SOCK_DGRAM.rawValue)
            }
        }
    }

    /// The socket call that failed, with `errno`'s text.
    public struct Failure: Error, CustomStringConvertible {
        /// The call (`socket`, `bind`, `getsockname`).
        public let operation: String
        /// Its `errno`.
        public let code: Int32
        public var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
    }

    /// A free port on 127.0.0.1 for `transport` (TCP unless said).
    public static func free(_ transport: Transport = .tcp) throws -> Int {
        let descriptor = socket(AF_INET, transport.socketType, 0)
        guard descriptor >= 0 else { throw Failure(operation: "socket", code: errno) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw Failure(operation: "bind", code: errno) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw Failure(operation: "getsockname", code: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
