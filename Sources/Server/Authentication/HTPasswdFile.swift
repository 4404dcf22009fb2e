import Foundation

/// The users allowed in with HTTP basic auth, read from an Apache-style htpasswd file as Ironic's
/// `auth_strategy = http_basic` reads `http_basic_auth_user_file`.
///
/// One `user:hash` a line, the hash bcrypt's (`$2y$`, `$2b$` or `$2a$`, as `htpasswd -B` writes
/// it). Blank lines and lines starting with `#` are skipped. Anything else — another hash scheme,
/// a line without a colon, an empty user, a user named twice — refuses the whole file, naming the
/// line, so that a typo never silently locks a user out or lets one in.
public struct HTPasswdFile: Sendable, Hashable {
    /// Where the file was read from.
    public let path: String
    /// Each user's bcrypt hash.
    public let hashes: [String: String]

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(HTPasswdError) -> HTPasswdFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HTPasswdError(path: path, line: nil, reason: "does not exist")
        }
        guard !isDirectory.boolValue else { throw HTPasswdError(path: path, line: nil, reason: "is a directory") }
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path) else {
            throw HTPasswdError(path: path, line: nil, reason: "cannot be read (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HTPasswdError(path: path, line: nil, reason: "is not UTF-8 text")
        }
        return try HTPasswdFile(contents: text, path: path)
    }

    /// Parses `contents`, naming `path` in any error.
    public init(contents: String, path: String) throws(HTPasswdError) {
        var hashes: [String: String] = [:]
        // "\r\n" is one Character in Swift: both line endings split here.
        let lines = contents.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw HTPasswdError(path: path, line: number, reason: "has no ':' between user and hash")
            }
            let user = String(trimmed[..<colon])
            let hash = String(trimmed[trimmed.index(after: colon)...])
            guard !user.isEmpty else {
                throw HTPasswdError(path: path, line: number, reason: "has an empty user name")
            }
            guard BcryptHash.isWellFormed(hash) else {
                throw HTPasswdError(path: path, line: number, reason: "does not hold a bcrypt hash ($2y$, $2b$ or $2a$) for user '\(user)'; "
                    + "create one with `htpasswd -B`")
            }
            guard hashes[user] == nil else {
                throw HTPasswdError(path: path, line: number, reason: "names user '\(user)' a second time")
            }
            hashes[user] = hash
        }
        guard !hashes.isEmpty else {
            throw HTPasswdError(path: path, line: nil, reason: "names no user")
        }
        self.path = path
        self.hashes = hashes
    }
}

/// Why an htpasswd file was refused: which file, which line (1-based) if one, and what is wrong.
public struct HTPasswdError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The offending line, if the problem is on one.
    public var line: Int?
    /// What is wrong, worded to follow "the htpasswd file PATH (line N)".
    public var reason: String

    /// `the htpasswd file /etc/ironlog/htpasswd line 3 has no ':' between user and hash`.
    public var description: String {
        "the htpasswd file \(path)\(line.map { " line \($0)" } ?? "") \(reason)"
    }
}
