/// The body of every Ironic error response: `{"error_message": "<JSON-encoded IronicFault>"}`.
public struct IronicErrorBody: Codable, Sendable, Equatable {
    /// The fault document, serialised to a JSON string.
    public var errorMessage: String

    /// Creates a body around an already-encoded fault document.
    public init(errorMessage: String) {
        self.errorMessage = errorMessage
    }

    private enum CodingKeys: String, CodingKey {
        case errorMessage = "error_message"
    }
}
