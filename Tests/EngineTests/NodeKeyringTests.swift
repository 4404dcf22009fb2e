@preconcurrency import Crypto
import Domain
import Foundation
import Testing
@testable import Engine

/// A fresh directory under the system's temporary directory, removed when the test is done.
private struct KeyringDirectory: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ironlog-keyring-test-\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

private func bytes(of key: SymmetricKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

private func mode(_ path: String) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
}

@Suite("Node keys on disk")
struct NodeKeyringTests {
    @Test("keys persist across keyring instances on the same directory")
    func persistence() throws {
        let directory = KeyringDirectory()
        let node = UUID()
        let created = try NodeKeyring(dataDirectory: directory.path).createKey(for: node)
        let reopened = try NodeKeyring(dataDirectory: directory.path)
        let loaded = try #require(try reopened.key(for: node))
        #expect(bytes(of: loaded) == bytes(of: created))
        #expect(bytes(of: loaded).count == 32)
        #expect(try reopened.key(for: UUID()) == nil)
    }

    @Test("the key file is mode 0600 in a 0700 directory, named by the lower-case UUID, with no temporary left")
    func permissions() throws {
        let directory = KeyringDirectory()
        let keyring = try NodeKeyring(dataDirectory: directory.path)
        let node = UUID()
        _ = try keyring.createKey(for: node)
        let path = keyring.keyFilePath(for: node)
        #expect(path == "\(directory.path)/keys/\(node.uuidString.lowercased()).key")
        #expect(try mode(path) == 0o600)
        #expect(try mode(keyring.keysDirectory) == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: keyring.keysDirectory) == ["\(node.uuidString.lowercased()).key"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 32)
    }

    @Test("an existing key directory readable by others is tightened to 0700")
    func tightensDirectory() throws {
        let directory = KeyringDirectory()
        let keys = "\(directory.path)/keys"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        _ = try NodeKeyring(dataDirectory: directory.path)
        #expect(try mode(keys) == 0o700)
    }

    @Test("createKey is idempotent, within and across instances and under concurrency")
    func idempotentCreate() async throws {
        let directory = KeyringDirectory()
        let node = UUID()
        let keyring = try NodeKeyring(dataDirectory: directory.path)
        let first = try keyring.createKey(for: node)
        #expect(bytes(of: try keyring.createKey(for: node)) == bytes(of: first))
        #expect(bytes(of: try NodeKeyring(dataDirectory: directory.path).createKey(for: node)) == bytes(of: first))

        let other = UUID()
        let path = directory.path
        let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for index in 0..<16 {
                group.addTask {
                    // Half share one keyring, half race through their own instances.
                    let ring = index.isMultiple(of: 2) ? keyring : try NodeKeyring(dataDirectory: path)
                    return bytes(of: try ring.createKey(for: other))
                }
            }
            return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(results.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: keyring.keysDirectory).count == 2)
    }

    @Test("shredding makes the key gone and previously sealed tokens unopenable, even with a fresh keyring")
    func shredding() throws {
        let directory = KeyringDirectory()
        let node = UUID()
        let keyring = try NodeKeyring(dataDirectory: directory.path)
        let sealer = try #require(try keyring.sealer(for: node, create: true))
        let context = "\(node.uuidString.lowercased())/driver_info/ipmi_password"
        let token = sealer.seal("s3cr3t", context: context)
        #expect(try #require(try NodeKeyring(dataDirectory: directory.path).sealer(for: node, create: false)).open(token, context: context) == "s3cr3t")

        try keyring.shred(node: node)
        #expect(try keyring.key(for: node) == nil)
        #expect(!FileManager.default.fileExists(atPath: keyring.keyFilePath(for: node)))
        let fresh = try NodeKeyring(dataDirectory: directory.path)
        #expect(try fresh.key(for: node) == nil)
        #expect(try fresh.sealer(for: node, create: false) == nil)
        // A key made afterwards is a new one: the old token stays unreadable.
        let newSealer = try #require(try fresh.sealer(for: node, create: true))
        #expect(throws: SecretError.wrongKeyOrTampered(context: context)) { try newSealer.open(token, context: context) }

        // Shredding what is not there is not an error.
        try fresh.shred(node: UUID())
        try keyring.shred(node: node)
        try keyring.shred(node: node)
    }

    @Test("an all-zero key file (a shred interrupted before unlink) reads as shredded and is replaced on create")
    func interruptedShred() throws {
        let directory = KeyringDirectory()
        let node = UUID()
        let keyring = try NodeKeyring(dataDirectory: directory.path)
        let path = keyring.keyFilePath(for: node)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(count: 32), attributes: [.posixPermissions: 0o600]))
        #expect(try keyring.key(for: node) == nil)
        let key = try keyring.createKey(for: node)
        #expect(bytes(of: key) != [UInt8](repeating: 0, count: 32))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes(of: key)))
    }

    @Test("a key file of the wrong length is an error naming the file, and is never replaced")
    func corruptKey() throws {
        let directory = KeyringDirectory()
        let node = UUID()
        let keyring = try NodeKeyring(dataDirectory: directory.path)
        let path = keyring.keyFilePath(for: node)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 31), attributes: [.posixPermissions: 0o600]))
        #expect(throws: NodeKeyringError.corruptKeyFile(path: path, byteCount: 31)) { try keyring.key(for: node) }
        #expect(throws: NodeKeyringError.corruptKeyFile(path: path, byteCount: 31)) { try keyring.createKey(for: node) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 31)
        #expect(NodeKeyringError.corruptKeyFile(path: path, byteCount: 31).description.contains(path))
    }

    @Test("a file where the key directory should be is a clear error")
    func keysPathIsAFile() throws {
        let directory = KeyringDirectory()
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: "\(directory.path)/keys", contents: Data("x".utf8)))
        #expect(throws: NodeKeyringError.keysPathNotADirectory(path: "\(directory.path)/keys")) {
            try NodeKeyring(dataDirectory: directory.path)
        }
    }
}
