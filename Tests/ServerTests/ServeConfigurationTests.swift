import Foundation
import Testing

@testable import Server

@Suite("Serving configuration: loopback, exposure and the htpasswd file")
struct ServeConfigurationTests {
    @Test("loopback addresses", arguments: ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1", "0::1"])
    func loopback(host: String) {
        #expect(ServerConfiguration(host: host).isLoopback)
    }

    @Test("addresses others can reach", arguments: ["0.0.0.0", "::", "10.0.0.5", "192.168.1.10", "128.0.0.1", "::2", "1::1", "example.com", "127.0.0.1.example.com", "127.0.0"])
    func notLoopback(host: String) {
        #expect(!ServerConfiguration(host: host).isLoopback)
    }

    @Test("on loopback no authentication is needed")
    func loopbackWithoutAuth() throws {
        try ServerConfiguration(host: "127.0.0.1").checkExposure(insecureNoAuth: false)
        try ServerConfiguration(host: "::1").checkExposure(insecureNoAuth: false)
    }

    @Test("a non-loopback address without --htpasswd is refused, with what to do")
    func exposedWithoutAuth() {
        #expect(throws: ExposureError(host: "0.0.0.0")) {
            try ServerConfiguration(host: "0.0.0.0").checkExposure(insecureNoAuth: false)
        }
        let message = ExposureError(host: "0.0.0.0").description
        #expect(message.contains("--htpasswd FILE") && message.contains("--insecure-no-auth") && message.contains("0.0.0.0"))
    }

    @Test("a non-loopback address is served with --htpasswd, or with --insecure-no-auth")
    func exposedAllowed() throws {
        try ServerConfiguration(host: "0.0.0.0", authentication: .httpBasic(BasicAuthFixtures.file)).checkExposure(insecureNoAuth: false)
        try ServerConfiguration(host: "0.0.0.0").checkExposure(insecureNoAuth: true)
    }

    @Test("an htpasswd file with a bad line is refused, naming the file and the line",
          arguments: [
              ("admin:$2y$04$abc\n", 1, "bcrypt"),
              ("# users\nadmin $2b$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n", 2, "no ':'"),
              (":$2b$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\n", 1, "empty user"),
              ("admin:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n", 1, "bcrypt"),
              ("admin:$apr1$abc$def\n", 1, "bcrypt"),
          ])
    func badLine(contents: String, line: Int, reason: String) {
        do {
            _ = try HTPasswdFile(contents: contents, path: "/etc/ironlog/htpasswd")
            Issue.record("accepted \(contents)")
        } catch {
            #expect(error.line == line)
            #expect(error.description.hasPrefix("the htpasswd file /etc/ironlog/htpasswd line \(line) "))
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test("a user named twice is refused at the second line")
    func duplicateUser() throws {
        let lines = BasicAuthFixtures.htpasswd.split(separator: "\n").filter { $0.hasPrefix("operator:") }
        let contents = BasicAuthFixtures.htpasswd + lines.joined() + "\n"
        #expect(throws: HTPasswdError.self) { try HTPasswdFile(contents: contents, path: "f") }
        do { _ = try HTPasswdFile(contents: contents, path: "f") } catch {
            #expect(error.line == 6 && error.reason.contains("second time"))
        }
    }

    @Test("a missing or empty htpasswd file is refused, naming the file")
    func missingFile() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-htpasswd-\(UUID().uuidString)").path
        do {
            _ = try HTPasswdFile.load(path: missing)
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.path == missing && error.line == nil)
            #expect(error.description.contains(missing) && error.description.contains("does not exist"))
        }
        #expect(throws: HTPasswdError.self) { try HTPasswdFile(contents: "# nobody\n", path: "empty") }
    }

    @Test("a good file loads from disk: comments and blank lines skipped, CRLF endings accepted")
    func loadsFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("htpasswd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(BasicAuthFixtures.htpasswd.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: url)
        let file = try HTPasswdFile.load(path: url.path)
        #expect(Set(file.hashes.keys) == ["admin", "operator", "legacy"])
        #expect(file.hashes["admin"]?.hasPrefix("$2y$04$") == true)
    }
}
