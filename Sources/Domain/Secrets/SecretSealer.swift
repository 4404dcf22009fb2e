@preconcurrency import Crypto
import Foundation

/// Why a sealed secret could not be opened.
///
/// Typed so callers can tell a value that was never sealed (legacy or hand-written data) from one
/// whose key is gone or whose bytes were changed — the first is a data-shape problem, the second
/// is expected after crypto-shredding or a sign of tampering, and the third means a newer Ironlog
/// wrote the log.
public enum SecretError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The value does not start with `ironlog-sealed:`, so there is nothing to open.
    case notSealed
    /// The token says `ironlog-sealed:<version>:` with a version this build does not know.
    case unknownVersion(String)
    /// Authentication failed: the key is not the one that sealed the value (for instance a node
    /// whose key was shredded and recreated), the token was sealed for another context (moved to
    /// another field or node), or its bytes were changed. AES-GCM cannot tell these apart, by
    /// design. Carries the context that was tried (never the secret).
    case wrongKeyOrTampered(context: String)

    /// A message for operators that names the cause and what to do.
    public var description: String {
        switch self {
        case .notSealed:
            return "the value is not a sealed secret (it does not start with \"\(SecretSealer.tokenPrefix)\")"
        case .unknownVersion(let version):
            return "the sealed secret uses format version \"\(version)\", which this build of Ironlog does not know; "
                + "run the Ironlog version that wrote it, or a newer one"
        case .wrongKeyOrTampered(let context):
            return "the sealed secret for \(context) cannot be opened: its node key is not the one that sealed it "
                + "(was the key shredded or replaced?), or the token was moved from another field or changed"
        }
    }
}

/// Seals secret strings (BMC passwords, config drives, ...) with AES-256-GCM so that they can sit
/// in the immutable event log without being readable by anyone who can read the log.
///
/// Why AES-GCM with the field's context as associated data: GCM authenticates as well as
/// encrypts, so a flipped byte is detected rather than decrypted to garbage, and binding the
/// context (e.g. `"<node uuid>/driver_info/ipmi_password"`) means a token copied into another
/// field or another node's events does not open there. The key lives outside the log (see the
/// Engine's `NodeKeyring`); throwing it away makes every token sealed with it unrecoverable while
/// the log's bytes — and so its hash chain — stay untouched.
///
/// A token is text so it fits in any JSON string member:
/// `"ironlog-sealed:v1:" + base64(nonce ‖ ciphertext ‖ tag)` with a fresh random 12-byte nonce per
/// seal (so sealing the same password twice gives different tokens, and equal tokens never reveal
/// equal passwords). The associated data is `"ironlog-sealed:v1:" + context`, which also ties the
/// ciphertext to the format version.
///
/// Pure: no I/O, no global state; safe to share between tasks.
public struct SecretSealer: Sendable {
    /// The prefix every sealed token starts with, whatever its version.
    public static let tokenPrefix = "ironlog-sealed:"
    /// The format version this build writes (and the only one it reads).
    public static let currentVersion = "v1"

    private static let v1Prefix = tokenPrefix + currentVersion + ":"
    private let key: SymmetricKey

    /// A sealer using `key`, which must be 256 bits (AES-256).
    ///
    /// A shorter key is a programming error (every key Ironlog makes is 32 random bytes and the
    /// keyring rejects key files of any other length), so it stops the process rather than
    /// silently weakening encryption.
    public init(key: SymmetricKey) {
        precondition(key.bitCount == 256, "SecretSealer needs a 256-bit key, got \(key.bitCount) bits")
        self.key = key
    }

    /// Encrypts `plaintext` for `context` and returns the text token to store instead of it.
    ///
    /// `context` names where the value lives (`"<node uuid>/driver_info/ipmi_password"`); the same
    /// context must be given to ``open(_:context:)``. Never fails: AES-GCM with a 256-bit key and a
    /// 12-byte random nonce has no failure mode other than a broken system random generator.
    public func seal(_ plaintext: String, context: String) -> String {
        do {
            let box = try AES.GCM.seal(Data(plaintext.utf8), using: key, nonce: AES.GCM.Nonce(), authenticating: Self.associatedData(context))
            guard let combined = box.combined else {
                preconditionFailure("AES-GCM with a 12-byte nonce always has a combined representation")
            }
            return Self.v1Prefix + combined.base64EncodedString()
        } catch {
            preconditionFailure("AES-GCM sealing failed with a 256-bit key: \(error)")
        }
    }

    /// Decrypts a token made by ``seal(_:context:)`` with the same key and `context`.
    ///
    /// Throws ``SecretError/notSealed`` for plain text, ``SecretError/unknownVersion(_:)`` for a
    /// token of another format version, and ``SecretError/wrongKeyOrTampered(context:)`` when the
    /// key or context differ or any byte of the token was changed (including a token whose
    /// base64 no longer decodes or is too short to hold a nonce and tag).
    public func open(_ token: String, context: String) throws(SecretError) -> String {
        guard Self.isSealed(token) else { throw .notSealed }
        guard token.hasPrefix(Self.v1Prefix) else {
            let afterPrefix = token.dropFirst(Self.tokenPrefix.count)
            throw .unknownVersion(String(afterPrefix.prefix { $0 != ":" }))
        }
        guard let combined = Data(base64Encoded: String(token.dropFirst(Self.v1Prefix.count))) else {
            throw .wrongKeyOrTampered(context: context)
        }
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            plaintext = try AES.GCM.open(box, using: key, authenticating: Self.associatedData(context))
        } catch {
            throw .wrongKeyOrTampered(context: context)
        }
        // Sealed plaintext is always UTF-8 (it came from a String); anything else is not ours.
        guard let text = String(data: plaintext, encoding: .utf8) else { throw .wrongKeyOrTampered(context: context) }
        return text
    }

    /// Whether `value` is a sealed token of any version (starts with `ironlog-sealed:`).
    ///
    /// Any version counts so that a token from a newer Ironlog is never mistaken for a plain
    /// password and shown or re-sealed as one. It says nothing about whether the token opens.
    public static func isSealed(_ value: String) -> Bool {
        value.hasPrefix(tokenPrefix)
    }

    private static func associatedData(_ context: String) -> Data {
        Data((v1Prefix + context).utf8)
    }
}

extension SecretSealer: CustomStringConvertible {
    /// Never shows the key: sealers end up in log messages and debugger output.
    public var description: String { "SecretSealer(key: <redacted>)" }
}
