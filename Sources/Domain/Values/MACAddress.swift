/// An Ethernet MAC address in the form Ironic stores and compares: six lower-case hex pairs joined
/// by colons (`52:54:00:12:34:56`).
///
/// Input may use upper case and `-` instead of `:` (`52-54-00-12-34-56`), but one separator
/// throughout. Ports' uniqueness is decided on this normalized form. Decoding validates too.
public struct MACAddress: Hashable, Sendable, ValidatedString, Comparable {
    /// The normalized address.
    public let value: String

    /// Validates and normalizes `text`; throws ``ValueError/invalidMAC(_:)`` naming it otherwise.
    public init(_ text: String) throws(ValueError) {
        guard let normalized = Self.normalize(text) else { throw .invalidMAC(text) }
        value = normalized
    }

    /// The normalized form of `text`, or `nil` if it is not a MAC address.
    public static func normalize(_ text: String) -> String? {
        let characters = Array(text)
        guard characters.count == 17 else { return nil }
        let separator = characters[2]
        guard separator == ":" || separator == "-" else { return nil }
        var pairs: [String] = []
        for group in 0..<6 {
            let start = group * 3
            if group > 0, characters[start - 1] != separator { return nil }
            let pair = characters[start..<start + 2]
            guard pair.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
            pairs.append(String(pair).lowercased())
        }
        return pairs.joined(separator: ":")
    }


    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.value < rhs.value }

}
