import Foundation

/// A node's logical name, valid under Ironic's rules since API v1.10.
///
/// - Only RFC 3986 unreserved characters: `A-Z a-z 0-9 - . _ ~`.
/// - 1 to 255 characters.
/// - Not `.` or `..` (Ironlog's own rule: URLs remove these dot-segments, so such a node could
///   never be addressed by its name; Ironic accepts them).
/// - Not UUID-like (see ``Identifier/uuidLike(_:)``): a UUID-like ident always means a UUID, so a
///   node named like one could never be addressed by its name.
/// - Not one of ``reservedWords``, which are sub-resource paths under `/v1/nodes/`.
///
/// A `NodeName` exists only if valid; decoding validates too.
public struct NodeName: Hashable, Sendable, ValidatedString {
    /// The longest name Ironic accepts.
    public static let maxLength = 255

    /// Words that name sub-resources of `/v1/nodes` and so can't name a node (compared exactly,
    /// case-sensitively, like Ironic).
    public static let reservedWords = ["detail", "validate", "states", "management", "maintenance", "vendor_passthru"]

    /// The name, exactly as given (names are case-sensitive).
    public let value: String

    /// Validates `value` as a node name.
    public init(_ value: String) throws(ValueError) {
        if let reason = Self.logicalNameProblem(value) { throw .invalidName(value, reason: reason) }
        if Identifier.uuidLike(value) != nil { throw .invalidName(value, reason: "it looks like a UUID") }
        if Self.reservedWords.contains(value) { throw .reservedName(value) }
        self.value = value
    }



    /// Whether `text` has the form of a logical name (characters and length only; neither the
    /// UUID-like nor the reserved-word rule). This is what an ident in a URL must satisfy when it
    /// is not a UUID.
    public static func isLogicalName(_ text: String) -> Bool {
        logicalNameProblem(text) == nil
    }

    /// Why `text` breaks the character/length rules, or `nil` if it doesn't.
    static func logicalNameProblem(_ text: String) -> String? {
        if text.isEmpty { return "a name must not be empty" }
        if text == "." || text == ".." { return "\(text) is a dot-segment that URLs remove, so it could not name anything in a path" }
        if let bad = text.unicodeScalars.first(where: { !isUnreserved($0) }) {
            return "the character '\(bad)' is not allowed; use only A-Z, a-z, 0-9, '-', '.', '_' and '~'"
        }
        // Only ASCII remains, so the scalar count is the character count.
        if text.unicodeScalars.count > maxLength { return "it is longer than \(maxLength) characters" }
        return nil
    }

    /// RFC 3986 `unreserved`: ALPHA / DIGIT / "-" / "." / "_" / "~".
    private static func isUnreserved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "-", ".", "_", "~": true
        default: false
        }
    }
}

/// How a URL names a node (`{node_ident}`): by UUID or by name.
///
/// Ironic's rule is that a UUID-like string is always a UUID, never a name.
public enum Identifier: Hashable, Sendable, CustomStringConvertible {
    case uuid(UUID)
    case name(String)

    /// Reads an ident from a URL: a UUID if UUID-like, else a name if it has a logical name's
    /// form, else `nil` (Ironic answers 400 `InvalidUuidOrName`, see
    /// ``ValueError/invalidUUIDOrName(_:)``).
    ///
    /// Like Ironic's `uuid_or_name` check, reserved words are not refused here: no node can carry
    /// one, so looking one up simply finds nothing.
    public static func parse(_ ident: String) -> Identifier? {
        if let uuid = uuidLike(ident) { return .uuid(uuid) }
        if NodeName.isLogicalName(ident) { return .name(ident) }
        return nil
    }

    /// The UUID that `text` denotes if it is UUID-like the way `oslo_utils.uuidutils.is_uuid_like`
    /// decides: after removing `urn:` and `uuid:`, the surrounding braces and every `-`, exactly 32
    /// hexadecimal digits in either case. So `3F2504E0-4F89-11D3-9A0C-0305E82C3301`,
    /// `{3f2504e0-...}`, `urn:uuid:3f2504e0-...` and `3f2504e04f8911d39a0c0305e82c3301` all are.
    public static func uuidLike(_ text: String) -> UUID? {
        // The canonical 8-4-4-4-12 form, as every client sends it, parses directly.
        if text.utf8.count == 36, let uuid = UUID(uuidString: text) { return uuid }
        var hex = text.replacingOccurrences(of: "urn:", with: "").replacingOccurrences(of: "uuid:", with: "")
        hex = String(hex.drop(while: { $0 == "{" || $0 == "}" }))
        while let last = hex.last, last == "{" || last == "}" { hex.removeLast() }
        hex = hex.replacingOccurrences(of: "-", with: "")
        guard hex.count == 32, hex.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        let digits = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }
        return UUID(uuidString: groups.joined(separator: "-"))
    }

    /// The ident as Ironic shows it: a lower-case UUID or the name.
    public var description: String {
        switch self {
        case .uuid(let uuid): uuid.uuidString.lowercased()
        case .name(let name): name
        }
    }
}
