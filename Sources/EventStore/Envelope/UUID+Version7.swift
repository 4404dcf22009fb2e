import Foundation

extension UUID {
    /// A version-7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits.
    ///
    /// Event ids default to these because they sort by creation time, so the permanent event-id
    /// index grows at its right edge instead of dirtying a random B-tree page per event — which
    /// keeps each durable commit small.
    public static func timeOrdered(milliseconds: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) -> UUID {
        // Foundation's UUID() opens /dev/urandom on every call on Linux; one getrandom(2) is far
        // cheaper, and this runs once per event.
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            var generator = SystemRandomNumberGenerator()
            raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 8, as: UInt64.self)
        }
        bytes.0 = UInt8(truncatingIfNeeded: milliseconds >> 40)
        bytes.1 = UInt8(truncatingIfNeeded: milliseconds >> 32)
        bytes.2 = UInt8(truncatingIfNeeded: milliseconds >> 24)
        bytes.3 = UInt8(truncatingIfNeeded: milliseconds >> 16)
        bytes.4 = UInt8(truncatingIfNeeded: milliseconds >> 8)
        bytes.5 = UInt8(truncatingIfNeeded: milliseconds)
        bytes.6 = 0x70 | (bytes.6 & 0x0F)
        bytes.8 = 0x80 | (bytes.8 & 0x3F)
        return UUID(uuid: bytes)
    }
}
