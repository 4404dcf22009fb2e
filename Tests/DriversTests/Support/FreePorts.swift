import Foundation
import Synchronization

/// Free UDP ports on 127.0.0.1 for emulated BMCs, outside Linux's ephemeral range (so no
/// client socket, ipmitool's included, takes one meanwhile) and never the same twice in one
/// test run.
enum FreePorts {
    private static let handedOut = Mutex<Set<Int>>([])

    /// `count` distinct ports that could be bound just now.
    static func udp(_ count: Int) throws -> [Int] {
        var chosen: [Int] = []
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var tries = 0
        while chosen.count < count {
            tries += 1
            guard tries < 10_000 else { throw PortError(message: "no free UDP port found in 20000-31999 on 127.0.0.1") }
            let port = Int.random(in: 20000..<32000)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            guard fresh else { continue }
            let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard descriptor >= 0 else { continue }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 {
                sockets.append(descriptor)
                chosen.append(port)
            } else {
                close(descriptor)
            }
        }
        return chosen
    }

    struct PortError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
