import Crypto
import EventStore
import Foundation

/// A SHA-256 over every projection database's keys and values, in order: two data directories
/// with the same digest hold the same projection state, byte for byte.
public enum ProjectionDigest {
    /// The digest, as 64 hexadecimal digits.
    public static func compute(_ projections: ProjectionSet) throws -> String {
        var hasher = SHA256()
        try projections.store.read { txn in
            for database in projections.databases {
                hasher.update(data: Data(database.name.utf8))
                try txn.forEach(in: database) { key, value in
                    var counts = [UInt32(key.count).bigEndian, UInt32(value.count).bigEndian]
                    counts.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                    hasher.update(bufferPointer: key)
                    hasher.update(bufferPointer: value)
                    return true
                }
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
