/// A string that is only valid in a certain form (a node name, a MAC address, a trait, a switch
/// id): created through a throwing initialiser, coded as a plain JSON string, and re-checked when
/// decoded so that no invalid value slips in through a payload.
public protocol ValidatedString: Codable, CustomStringConvertible {
    /// The validated (and, where the type says so, normalised) text.
    var value: String { get }
    /// Validates `text`, refusing it with a ``ValueError`` that says why.
    init(_ text: String) throws(ValueError)
}

extension ValidatedString {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    public var description: String { value }
}
