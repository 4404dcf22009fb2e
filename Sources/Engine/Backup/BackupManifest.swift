import EventStore
import Foundation

/// `ironlog-backup.json`, written beside a backup's files: what the backup holds and how to check
/// it is whole before restoring it.
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The name of the manifest file in a backup directory.
    public static let fileName = "ironlog-backup.json"
    /// The manifest format this version writes and reads.
    public static let currentFormat = 1

    /// The manifest format.
    public var format: Int
    /// When the backup was taken (ISO 8601, UTC).
    public var createdAt: String
    /// The data directory it was taken from.
    public var source: String
    /// The log's head in the backup: every event up to this position is in it.
    public var headPosition: UInt64
    /// The head event's hash (hex), which the restored log must end with.
    public var headHash: String
    /// The size of `data.mdb` in bytes.
    public var dataBytes: Int
    /// SHA-256 (hex) of `data.mdb`.
    public var dataSHA256: String
    /// The node key files copied (`keys/<uuid>.key`), each with its SHA-256.
    public var keys: [String: String]

    enum CodingKeys: String, CodingKey {
        case format, source, keys
        case createdAt = "created_at"
        case headPosition = "head_position"
        case headHash = "head_hash"
        case dataBytes = "data_bytes"
        case dataSHA256 = "data_sha256"
    }

    /// Reads the manifest of the backup in `directory`.
    public static func read(from directory: String) throws -> BackupManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError.notABackup(directory: directory, reason: "it has no \(fileName)")
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError.notABackup(directory: directory, reason: "\(fileName) is not a manifest Ironlog wrote (\(error))")
        }
        guard manifest.format == currentFormat else {
            throw BackupError.notABackup(directory: directory, reason: "its manifest format \(manifest.format) is not \(currentFormat); restore it with the Ironlog version that took it")
        }
        return manifest
    }

    /// Writes the manifest into `directory`.
    func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/" + Self.fileName), options: .atomic)
    }
}

/// Why a backup could not be taken or restored; each says what to do.
public enum BackupError: Error, CustomStringConvertible, Equatable {
    /// The directory is not a backup Ironlog wrote, or not a whole one.
    case notABackup(directory: String, reason: String)
    /// A file of the backup does not match its manifest.
    case damaged(file: String, reason: String)
    /// The destination already holds data.
    case destinationNotEmpty(String)

    public var description: String {
        switch self {
        case .notABackup(let directory, let reason):
            "\(directory) is not an Ironlog backup: \(reason). Give the directory `ironlog backup` wrote."
        case .damaged(let file, let reason):
            "the backup is damaged: \(file) \(reason). Restore from another backup; this one can not be trusted."
        case .destinationNotEmpty(let directory):
            "\(directory) is not empty. Choose a new or empty directory, or pass --force to replace what is there (it is kept aside, not deleted)."
        }
    }
}
