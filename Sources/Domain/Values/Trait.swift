/// A node trait (API ≥ 1.37): a capability name that the scheduler matches against flavors.
///
/// Ironic accepts the standard names of the `os-traits` library and custom names
/// `CUSTOM_[A-Z0-9_]+`, at most 255 characters. Without that library's list, a standard trait is
/// recognised by its shape: an upper-case letter, then upper-case letters, digits and `_`
/// (`HW_CPU_X86_AVX2`, `STORAGE_DISK_SSD`). A name starting `CUSTOM_` must have something after it.
///
/// Named `NodeTrait` rather than `Trait` so that it never clashes with Swift Testing's `Trait`.
public struct NodeTrait: Hashable, Sendable, ValidatedString, Comparable {
    /// The longest trait Ironic accepts.
    public static let maxLength = 255

    /// The prefix of operator-defined traits.
    public static let customPrefix = "CUSTOM_"

    /// The trait name.
    public let value: String

    /// Validates `value` as a trait; throws ``ValueError/invalidTrait(_:reason:)`` otherwise.
    public init(_ value: String) throws(ValueError) {
        if value.isEmpty { throw .invalidTrait(value, reason: "a trait must not be empty") }
        if let bad = value.unicodeScalars.first(where: { !Self.isTraitCharacter($0) }) {
            throw .invalidTrait(value, reason: "the character '\(bad)' is not allowed; use only A-Z, 0-9 and _")
        }
        // Only ASCII remains, so the scalar count is the character count.
        if value.unicodeScalars.count > Self.maxLength {
            throw .invalidTrait(value, reason: "it is longer than \(Self.maxLength) characters")
        }
        guard let first = value.unicodeScalars.first, ("A"..."Z").contains(first) else {
            throw .invalidTrait(value, reason: "a trait must start with a letter A-Z")
        }
        if value == Self.customPrefix {
            throw .invalidTrait(value, reason: "a custom trait needs a name after CUSTOM_")
        }
        self.value = value
    }

    /// Whether this is an operator-defined `CUSTOM_` trait.
    public var isCustom: Bool { value.hasPrefix(Self.customPrefix) }


    public static func < (lhs: NodeTrait, rhs: NodeTrait) -> Bool { lhs.value < rhs.value }


    private static func isTraitCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}

/// The `switch_id` of a port's `local_link_connection`: the switch's MAC address or its OpenFlow
/// datapath id, which is what ML2 switch drivers look the switch up by.
///
/// A MAC (`:` or `-` separated, any case) is normalized like ``MACAddress``. A datapath id is 16
/// hex digits, optionally prefixed `0x`; it is normalized to lower case, keeping the prefix if
/// given (Ironic only lower-cases it).
public struct SwitchID: Hashable, Sendable, ValidatedString {
    /// Which form the id has.
    public enum Kind: String, Hashable, Sendable, Codable {
        case macAddress
        case datapathID
    }

    /// The normalized id.
    public let value: String
    /// Whether it is a MAC address or a datapath id.
    public let kind: Kind

    /// Validates and normalizes `text`; throws ``ValueError/invalidSwitchID(_:)`` naming it otherwise.
    public init(_ text: String) throws(ValueError) {
        if let mac = MACAddress.normalize(text) {
            value = mac
            kind = .macAddress
        } else if Self.isDatapathID(text) {
            value = text.lowercased()
            kind = .datapathID
        } else {
            throw .invalidSwitchID(text)
        }
    }

    /// Whether `text` is an OpenFlow datapath id: 16 hex digits, optionally after `0x` or `0X`.
    public static func isDatapathID(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        return digits.count == 16 && digits.allSatisfy { $0.isASCII && $0.isHexDigit }
    }


}
