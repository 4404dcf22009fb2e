import Crypto

/// A SHA-256 digest held inline (no allocation), as stored at the end of every envelope.
public struct EnvelopeHash: Sendable, Hashable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The hash "before the first event": 32 zero bytes, the start of every chain.
    public static let genesis = EnvelopeHash(words: (0, 0, 0, 0))

    /// The number of bytes a hash takes in an envelope.
    public static let byteCount = 32

    private init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Reads a hash from exactly 32 bytes.
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == Self.byteCount, "an envelope hash is 32 bytes")
        words = (
            bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        )
    }

    /// Parses 64 hexadecimal digits; `nil` if `hex` is anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 {
            guard let high = Self.nibble(digits[2 * index]), let low = Self.nibble(digits[2 * index + 1]) else { return nil }
            bytes[index] = high << 4 | low
        }
        self = bytes.withUnsafeBytes { EnvelopeHash(bytes: $0) }
    }

    /// `SHA-256(previous ‖ canonical)`: the hash of an envelope whose canonical bytes are `canonical`.
    public static func chaining(_ previous: EnvelopeHash, _ canonical: UnsafeRawBufferPointer) -> EnvelopeHash {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonical)
        return hasher.finalize().withUnsafeBytes { EnvelopeHash(bytes: $0) }
    }

    /// Calls `body` with the 32 bytes of the hash.
    public func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try Swift.withUnsafeBytes(of: words, body)
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lower-case hexadecimal, 64 digits.
    public var hex: String {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        withUnsafeBytes { for byte in $0 { out.append(table[Int(byte >> 4)]); out.append(table[Int(byte & 0xF)]) } }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func == (lhs: EnvelopeHash, rhs: EnvelopeHash) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
