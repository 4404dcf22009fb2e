import Foundation
import Hummingbird
import HummingbirdBcrypt

@testable import Server

/// Users and passwords of the test htpasswd file: `admin` with a `$2y$` hash (as Apache's
/// `htpasswd -B` writes), `operator` with a `$2b$` hash, `legacy` with `$2a$`.
enum BasicAuthFixtures {
    static let passwords = ["admin": "s3cret:with:colons", "operator": "hunter2", "legacy": "old-but-gold"]

    /// The htpasswd file's text. Hashed once per process at bcrypt's lowest cost, to keep tests quick.
    static let htpasswd: String = {
        let admin = "$2y$" + Bcrypt.hash(passwords["admin"]!, cost: 4).dropFirst(4)
        let op = Bcrypt.hash(passwords["operator"]!, cost: 4)
        let legacy = "$2a$" + Bcrypt.hash(passwords["legacy"]!, cost: 4).dropFirst(4)
        return "# Ironlog API users\nadmin:\(admin)\n\noperator:\(op)\nlegacy:\(legacy)\n"
    }()

    /// The parsed file.
    static let file: HTPasswdFile = try! HTPasswdFile(contents: htpasswd, path: "/etc/ironlog/htpasswd")

    /// A loopback configuration requiring basic auth.
    static let configuration = ServerConfiguration(host: "127.0.0.1", port: 6385, authentication: .httpBasic(file))

    /// The `Authorization` header value for `user` and `password`.
    static func authorization(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// JSON headers at microversion 1.11 with basic credentials for `user`.
    static func headers(_ user: String, password: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields[VersionNegotiation.legacyHeader] = "1.11"
        fields[.authorization] = authorization(user, password ?? passwords[user]!)
        return fields
    }
}
