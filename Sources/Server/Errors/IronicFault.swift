import Foundation

/// The fault document Ironic double-encodes into an error body's `error_message`.
///
/// Field names are Ironic's wire names. `debuginfo` is always present, `null` when empty.
public struct IronicFault: Codable, Sendable, Equatable {
    /// `Client` or `Server`.
    public var faultcode: String
    /// The human-readable message.
    public var faultstring: String
    /// Extra debugging detail, usually `null`.
    public var debuginfo: String?

    /// Creates a fault document.
    public init(faultcode: String, faultstring: String, debuginfo: String?) {
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.debuginfo = debuginfo
    }

    /// The document as Ironic's Python serialises it, keys in Ironic's order with `", "` and `": "`
    /// separators: `{"faultcode": "Client", "faultstring": "…", "debuginfo": null}`.
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func literal(_ value: String?) throws -> String {
            guard let value else { return "null" }
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        return "{\"faultcode\": \(try literal(faultcode)), \"faultstring\": \(try literal(faultstring)), "
            + "\"debuginfo\": \(try literal(debuginfo))}"
    }

    private enum CodingKeys: String, CodingKey {
        case faultcode, faultstring, debuginfo
    }

    /// Encodes all three keys, writing `debuginfo` as `null` rather than omitting it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(faultcode, forKey: .faultcode)
        try container.encode(faultstring, forKey: .faultstring)
        if let debuginfo {
            try container.encode(debuginfo, forKey: .debuginfo)
        } else {
            try container.encodeNil(forKey: .debuginfo)
        }
    }
}
