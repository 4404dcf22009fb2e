import HummingbirdBcrypt

/// bcrypt as htpasswd files hold it.
///
/// `$2y$` (PHP's and Apache's name) and `$2b$` (OpenBSD's) are the same algorithm; the bcrypt
/// implementation underneath knows `$2a$` and `$2b$` only, so a `$2y$` hash is checked as `$2b$`.
enum BcryptHash {
    /// The prefixes accepted.
    static let prefixes = ["$2y$", "$2b$", "$2a$"]

    /// Whether `hash` looks like a bcrypt hash: a known prefix, a two-digit cost, `$`, then 53
    /// characters of bcrypt's base64 (22 of salt, 31 of digest) — 60 in all.
    static func isWellFormed(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, prefixes.contains(where: { hash.hasPrefix($0) }) else { return false }
        guard bytes[4].isASCIIDigit, bytes[5].isASCIIDigit, bytes[6] == UInt8(ascii: "$") else { return false }
        return bytes[7...].allSatisfy { $0.isBcryptBase64 }
    }

    /// Whether `password` matches `hash`. Slow by design: run it off the cooperative pool.
    static func verify(_ password: String, hash: String) -> Bool {
        let checked = hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
        return Bcrypt.verify(password, hash: checked)
    }
}

private extension UInt8 {
    var isASCIIDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    var isBcryptBase64: Bool {
        isASCIIDigit || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || self == UInt8(ascii: ".") || self == UInt8(ascii: "/")
    }
}
