import Foundation
import Hummingbird

/// The user name and password of an `Authorization: Basic <base64(user:password)>` header
/// (RFC 7617). The scheme name is matched case-insensitively; the password may contain colons.
struct BasicCredentials: Sendable, Hashable {
    /// The user name, before the first colon.
    var user: String
    /// Everything after the first colon.
    var password: String

    /// The credentials `headers` carry, or nil if there is no well-formed basic `Authorization`.
    init?(headers: HTTPFields) {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
              let decoded = String(data: data, encoding: .utf8),
              let colon = decoded.firstIndex(of: ":") else { return nil }
        self.user = String(decoded[..<colon])
        self.password = String(decoded[decoded.index(after: colon)...])
    }

    /// Credentials given directly.
    init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}
