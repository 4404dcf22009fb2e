import Foundation

extension UUID {
    /// Parses the canonical 36-character form (either case) without Foundation's formatted
    /// scanning, which is slow enough to matter on paths that run once per event.
    public init?(canonical text: Substring) {
        var text = text
        guard let uuid = text.withUTF8({ UUID(canonicalUTF8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = uuid
    }

    /// Parses the canonical form from UTF-8 bytes, e.g. read in place from a stored envelope.
    public init?(canonicalUTF8 utf8: UnsafeRawBufferPointer) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        guard utf8.count == 36 else { return nil }
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var index = 0
            var high: UInt8?
            for (offset, character) in utf8.enumerated() {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    guard character == UInt8(ascii: "-") else { return false }
                    continue
                }
                let nibble: UInt8
                switch character {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
                default: return false
                }
                if let first = high {
                    out[index] = first << 4 | nibble
                    index += 1
                    high = nil
                } else {
                    high = nibble
                }
            }
            return index == 16
        }
        guard parsed else { return nil }
        self.init(uuid: bytes)
    }
}
