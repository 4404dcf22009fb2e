@preconcurrency import Crypto
import Domain
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the keyring could not read, create or destroy a node key; every case names the path and
/// its description says what to do.
public enum NodeKeyringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A file-system call failed; `operation` says what was being done, `code` is the `errno`.
    case fileSystem(operation: String, path: String, code: Int32)
    /// The data directory could not be created (`reason` is the system's message).
    case cannotCreateDataDirectory(path: String, reason: String)
    /// `<data directory>/keys` exists but is not a directory.
    case keysPathNotADirectory(path: String)
    /// A key file does not hold exactly 32 bytes, so it is not a key Ironlog wrote (or it was
    /// damaged); using it would open nothing, and replacing it would lose the node's secrets.
    case corruptKeyFile(path: String, byteCount: Int)

    /// A message for operators: what failed, where, and what to do about it.
    public var description: String {
        switch self {
        case .fileSystem(let operation, let path, let code):
            let reason = String(cString: strerror(code))
            return "cannot \(operation) \(path): \(reason) (errno \(code)); \(Self.advice(for: code))"
        case .cannotCreateDataDirectory(let path, let reason):
            return "cannot create the data directory \(path): \(reason); create it, owned by the user running Ironlog"
        case .keysPathNotADirectory(let path):
            return "\(path) exists but is not a directory; Ironlog keeps node keys there — move that file away "
                + "(it is not Ironlog's) and start again"
        case .corruptKeyFile(let path, let byteCount):
            return "node key \(path) holds \(byteCount) bytes, not 32, so it is not a key Ironlog wrote or it is "
                + "damaged; restore it from a backup of the data directory — without it this node's secrets "
                + "cannot be read (delete it only if you mean to lose them)"
        }
    }

    private static func advice(for code: Int32) -> String {
        switch code {
        case EACCES, EPERM:
            return "make the data directory and its keys/ subdirectory owned by the user running Ironlog "
                + "(keys/ mode 0700, key files mode 0600)"
        case ENOSPC, EDQUOT: return "free disk space (or raise the quota) on the data directory's file system"
        case EROFS: return "the data directory's file system is read-only; remount it read-write"
        case EIO: return "the disk reported an I/O error; check it and restore the data directory from a backup if needed"
        case ELOOP: return "key files must be regular files, not symbolic links; replace the link with the file"
        default: return "check the data directory's permissions and file system"
        }
    }
}

/// The per-node encryption keys that seal secrets (BMC passwords, config drives, ...) in the event
/// log, kept in `<data directory>/keys/<node uuid>.key`, outside the log.
///
/// Why per node and outside the log: the log is immutable and hash-chained, so a secret written
/// into it can never be removed. Sealing each node's secrets with its own key, and keeping the key
/// where it can be deleted, gives crypto-shredding: ``shred(node:)`` destroys the key, every
/// secret the node ever had becomes unrecoverable, and the log's bytes — and so its verification —
/// stay exactly as they were. It also means a copy of the log alone (a backup, a bug report)
/// reveals no secrets; back up `keys/` separately and with more care.
///
/// A key file is 32 random bytes (AES-256), mode 0600, in a directory of mode 0700. It is written
/// atomically — a temporary file is written and fsynced, then linked into place and the directory
/// fsynced — so a crash leaves either no key or a whole one, never half of one. Shredding
/// overwrites the file with zeros and fsyncs before unlinking it, so a crash in between leaves an
/// all-zero file, which is read as "shredded" and never used as a key. (On copy-on-write file
/// systems and SSDs, overwriting does not guarantee that the old blocks are physically erased;
/// put the data directory on an encrypted volume if that matters.)
///
/// Thread-safe: one lock guards the cache of loaded keys and all file operations. Use one keyring
/// per data directory per process: the cache does not notice keys shredded by another keyring
/// instance or process until that instance is recreated.
public final class NodeKeyring: Sendable {
    /// The length of every key, in bytes: AES-256.
    public static let keyByteCount = 32

    /// `<data directory>/keys`, where the key files live.
    public let keysDirectory: String

    /// Loaded keys by node. Keys are wrapped because swift-crypto's `SymmetricKey` predates
    /// `Sendable`; it is an immutable value, so sharing it between threads is safe.
    private let cache = Mutex<[UUID: CachedKey]>([:])

    private struct CachedKey: @unchecked Sendable {
        let key: SymmetricKey
    }

    /// Opens (creating if needed) the keyring of the data directory `dataDirectory`.
    ///
    /// Creates the data directory (with intermediates, as the event store does, so either may be
    /// opened first) and its `keys/` subdirectory with mode 0700; an existing `keys/` that is
    /// readable by others is tightened to 0700, because key files are only as private as their
    /// directory. A symbolic link named `keys` is followed, so keys may live on another volume.
    public init(dataDirectory: String) throws {
        let keys = (dataDirectory as NSString).appendingPathComponent("keys")
        keysDirectory = keys
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw NodeKeyringError.cannotCreateDataDirectory(path: dataDirectory, reason: "\(error.localizedDescription)")
        }
        if mkdir(keys, 0o700) == 0 {
            try Self.syncDirectory(dataDirectory)
        } else if errno != EEXIST {
            throw NodeKeyringError.fileSystem(operation: "create the key directory", path: keys, code: errno)
        }
        var info = stat()
        guard stat(keys, &info) == 0 else {
            throw NodeKeyringError.fileSystem(operation: "inspect the key directory", path: keys, code: errno)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw NodeKeyringError.keysPathNotADirectory(path: keys) }
        if info.st_mode & 0o777 != 0o700, chmod(keys, 0o700) != 0 {
            throw NodeKeyringError.fileSystem(operation: "set mode 0700 on the key directory", path: keys, code: errno)
        }
    }

    /// The path of `node`'s key file (whether or not it exists): `keys/<uuid lower-case>.key`.
    ///
    /// Public for operators' tools and tests; Ironlog itself only goes through the methods below.
    public func keyFilePath(for node: UUID) -> String {
        "\(keysDirectory)/\(node.uuidString.lowercased()).key"
    }

    /// `node`'s key, or `nil` if it has none (never had secrets, or was shredded).
    ///
    /// Reading secrets needs this; `nil` means sealed values of the node cannot be opened and
    /// should be shown masked. Throws when the file exists but cannot be read or is not 32 bytes.
    public func key(for node: UUID) throws -> SymmetricKey? {
        try cache.withLock { cached -> CachedKey? in
            if let hit = cached[node] { return hit }
            guard let key = try readKey(at: keyFilePath(for: node)) else { return nil }
            let entry = CachedKey(key: key)
            cached[node] = entry
            return entry
        }?.key
    }

    /// `node`'s key, creating and durably storing a new random one if it has none.
    ///
    /// Idempotent, so every command that writes secrets can call it: the existing key is returned
    /// if there is one, and a key is never replaced (replacing would make the node's sealed values
    /// unreadable). The key is on disk, fsynced, before this returns, so nothing can be sealed with
    /// a key a crash would lose. After ``shred(node:)`` this creates a *new* key; values sealed
    /// with the old one stay unreadable.
    public func createKey(for node: UUID) throws -> SymmetricKey {
        try cache.withLock { cached -> CachedKey in
            if let hit = cached[node] { return hit }
            let path = keyFilePath(for: node)
            if let existing = try readKey(at: path) {
                cached[node] = CachedKey(key: existing)
                return CachedKey(key: existing)
            }
            // Absent, or the all-zero remnant of an interrupted shred: finish removing it first.
            try removeIfPresent(path)
            let installed = try install(SymmetricKey(size: .bits256), at: path)
            cached[node] = CachedKey(key: installed)
            return CachedKey(key: installed)
        }.key
    }

    /// Destroys `node`'s key for good (crypto-shredding): every secret sealed with it becomes
    /// unrecoverable, while the event log is left untouched and still verifies.
    ///
    /// Overwrites the file with zeros and fsyncs it, unlinks it, and fsyncs the directory; also
    /// forgets the cached copy. No error if the node has no key, so it can be retried safely.
    /// Sealers already handed out keep their copy of the key in memory until they are released.
    public func shred(node: UUID) throws {
        try cache.withLock { cached in
            cached[node] = nil
            let path = keyFilePath(for: node)
            let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
            if fd < 0 {
                if errno == ENOENT { return }
                throw NodeKeyringError.fileSystem(operation: "open the node key for shredding", path: path, code: errno)
            }
            do {
                defer { close(fd) }
                var info = stat()
                guard fstat(fd, &info) == 0 else {
                    throw NodeKeyringError.fileSystem(operation: "inspect the node key", path: path, code: errno)
                }
                let zeros = [UInt8](repeating: 0, count: max(Int(info.st_size), Self.keyByteCount))
                try zeros.withUnsafeBytes { try Self.writeAll(fd, $0, path: path, operation: "overwrite the node key") }
                guard fsync(fd) == 0 else {
                    throw NodeKeyringError.fileSystem(operation: "fsync the overwritten node key", path: path, code: errno)
                }
            }
            try removeIfPresent(path)
        }
    }

    /// A sealer for `node`'s secrets: with `create`, the node's key is made if missing (for
    /// commands that write secrets); without, `nil` when the node has no key (for reads, which
    /// must not invent a key that could never open anything).
    public func sealer(for node: UUID, create: Bool) throws -> SecretSealer? {
        if create { return SecretSealer(key: try createKey(for: node)) }
        return try key(for: node).map { SecretSealer(key: $0) }
    }

    // MARK: - File operations (called with the lock held)

    /// The key in `path`; `nil` if there is no file or it is all zeros (an interrupted shred).
    private func readKey(at path: String) throws -> SymmetricKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw NodeKeyringError.fileSystem(operation: "open the node key", path: path, code: errno)
        }
        defer { close(fd) }
        // One byte more than a key, to tell a too-long file from a key.
        var buffer = [UInt8](repeating: 0, count: Self.keyByteCount + 1)
        defer { for index in buffer.indices { buffer[index] = 0 } }
        var count = 0
        while count < buffer.count {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw NodeKeyringError.fileSystem(operation: "read the node key", path: path, code: errno)
            }
            if got == 0 { break }
            count += got
        }
        guard count == Self.keyByteCount else { throw NodeKeyringError.corruptKeyFile(path: path, byteCount: count) }
        if buffer[0..<count].allSatisfy({ $0 == 0 }) { return nil }
        return SymmetricKey(data: buffer[0..<count])
    }

    /// Writes `key` to a temporary file, fsyncs it, links it to `path` and fsyncs the directory.
    ///
    /// `link` rather than `rename` because it refuses to replace an existing file: if another
    /// keyring created the key meanwhile, that key wins and is returned, so two writers never end
    /// up with different keys for one node. File systems without hard links fall back to `rename`.
    private func install(_ key: SymmetricKey, at path: String) throws -> SymmetricKey {
        let temporary = "\(keysDirectory)/.\(UUID().uuidString.lowercased()).key.tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw NodeKeyringError.fileSystem(operation: "create a temporary key file", path: temporary, code: errno)
        }
        var linked = false
        defer { if !linked { unlink(temporary) } }
        do {
            defer { close(fd) }
            // The mode given to open() is narrowed by the umask; make sure it is exactly 0600.
            guard fchmod(fd, 0o600) == 0 else {
                throw NodeKeyringError.fileSystem(operation: "set mode 0600 on", path: temporary, code: errno)
            }
            try key.withUnsafeBytes { try Self.writeAll(fd, $0, path: temporary, operation: "write the new key to") }
            guard fsync(fd) == 0 else {
                throw NodeKeyringError.fileSystem(operation: "fsync the new key", path: temporary, code: errno)
            }
        }
        if link(temporary, path) == 0 {
            unlink(temporary)
            linked = true
        } else {
            let code = errno
            switch code {
            case EEXIST:
                guard let existing = try readKey(at: path) else {
                    throw NodeKeyringError.fileSystem(operation: "create the node key (another process is shredding it)", path: path, code: code)
                }
                return existing
            case EPERM, ENOTSUP, EOPNOTSUPP, EMLINK, EXDEV:
                guard rename(temporary, path) == 0 else {
                    throw NodeKeyringError.fileSystem(operation: "move the new key into place at", path: path, code: errno)
                }
                linked = true
            default:
                throw NodeKeyringError.fileSystem(operation: "link the new key into place at", path: path, code: code)
            }
        }
        try Self.syncDirectory(keysDirectory)
        return key
    }

    /// Unlinks `path` if it exists and fsyncs the directory, so the removal survives a crash.
    private func removeIfPresent(_ path: String) throws {
        if unlink(path) != 0 {
            if errno == ENOENT { return }
            throw NodeKeyringError.fileSystem(operation: "remove the node key", path: path, code: errno)
        }
        try Self.syncDirectory(keysDirectory)
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String, operation: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = pwrite(fd, bytes.baseAddress! + offset, bytes.count - offset, off_t(offset))
            if written < 0 {
                if errno == EINTR { continue }
                throw NodeKeyringError.fileSystem(operation: operation, path: path, code: errno)
            }
            offset += written
        }
    }

    /// Makes the directory's entries (a created, renamed or removed file) durable.
    private static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw NodeKeyringError.fileSystem(operation: "open the directory to fsync", path: path, code: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw NodeKeyringError.fileSystem(operation: "fsync the directory", path: path, code: errno) }
    }
}
