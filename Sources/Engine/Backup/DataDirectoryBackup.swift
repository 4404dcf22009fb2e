import Crypto
import EventStore
import Foundation
import Projections

/// A whole data directory copied while the server runs, and brought back: the log (a compacted,
/// consistent LMDB snapshot), the node keys that open its sealed secrets, and a manifest with the
/// head and checksums. A restore checks every checksum and the log's hash chain, then rebuilds
/// the projections from the log, so what it brings back is exactly what the log says.
///
/// A backup holds the node keys: keep it as safe as the data directory itself.
public enum DataDirectoryBackup {
    /// Backs up the store of `dataDirectory` (open as `store`, possibly serving) into
    /// `destination`, which must be new or empty.
    public static func backup(_ store: LMDBEventStore, dataDirectory: String, to destination: String,
                              progress: ((String) -> Void)? = nil) throws -> BackupManifest {
        progress?("copying the log")
        let copied = try store.backup(to: destination)
        // Keys are copied after the snapshot: every node in it already had its key.
        progress?("copying node keys")
        let keys = try copyKeys(from: dataDirectory + "/keys", to: destination + "/keys")
        progress?("checksumming")
        let manifest = BackupManifest(
            format: BackupManifest.currentFormat, createdAt: ISO8601DateFormatter().string(from: Date()),
            source: URL(fileURLWithPath: dataDirectory).standardizedFileURL.path, headPosition: copied.head.position, headHash: copied.head.hash.hex,
            dataBytes: copied.bytes, dataSHA256: try sha256(ofFile: destination + "/data.mdb"), keys: keys
        )
        try manifest.write(to: destination)
        return manifest
    }

    /// What a restore brought back.
    public struct Restored: Sendable {
        /// The backup's manifest.
        public var manifest: BackupManifest
        /// The restored log's head: the manifest's, or the point in time restored to.
        public var head: LogHead
        /// Where the events after the point in time were archived (`archive/…jsonl` in the data
        /// directory), and how many; nil for a whole restore.
        public var archive: (path: String, events: UInt64)?
        /// Where the data directory that was replaced (`force`) was moved, if one was.
        public var setAside: String?
    }

    /// A point in the log to restore up to: a position, or the last event recorded at or before
    /// a time (µs since 1970).
    public enum RestorePoint: Sendable {
        case position(UInt64)
        case time(Int64)
    }

    /// Restores the backup in `source` as the data directory `dataDirectory`. Refuses a non-empty
    /// `dataDirectory` unless `force`, which moves it aside (to `<dir>.before-restore-<time>`)
    /// once the restored copy is complete. The server must not be running on `dataDirectory`.
    ///
    /// With `point`, only the log up to that point is restored; the events after it are written,
    /// as an export (see ``LogExport``), to `archive/events-after-<position>.jsonl` in the data
    /// directory — kept, never dropped.
    public static func restore(from source: String, to dataDirectory: String, force: Bool, upTo point: RestorePoint? = nil,
                               progress: ((String, UInt64, UInt64) -> Void)? = nil) async throws -> Restored {
        let manifest = try BackupManifest.read(from: source)
        let manager = FileManager.default
        let occupied = ((try? manager.contentsOfDirectory(atPath: dataDirectory)) ?? []).isEmpty == false
        if occupied, !force { throw BackupError.destinationNotEmpty(dataDirectory) }
        if occupied {
            // Fails while a server holds it.
            let running = try LMDBEventStore(directory: dataDirectory)
            running.close()
        }

        progress?("checking the backup's files", 0, 1)
        let data = source + "/data.mdb"
        guard manager.fileExists(atPath: data) else { throw BackupError.damaged(file: "data.mdb", reason: "is missing") }
        guard try sha256(ofFile: data) == manifest.dataSHA256 else {
            throw BackupError.damaged(file: "data.mdb", reason: "does not match the checksum in its manifest")
        }
        for (name, digest) in manifest.keys {
            guard manager.fileExists(atPath: source + "/keys/" + name) else { throw BackupError.damaged(file: "keys/\(name)", reason: "is missing") }
            guard try sha256(ofFile: source + "/keys/" + name) == digest else {
                throw BackupError.damaged(file: "keys/\(name)", reason: "does not match the checksum in its manifest")
            }
        }

        let staging = dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) + ".restoring" : dataDirectory + ".restoring"
        try? manager.removeItem(atPath: staging)
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        var head = LogHead.empty
        var archive: (path: String, events: UInt64)?
        do {
            if let point {
                (head, archive) = try await restorePart(of: data, upTo: point, into: staging, manifest: manifest, progress: progress)
            } else {
                try manager.copyItem(atPath: data, toPath: staging + "/data.mdb")
            }
            _ = try copyKeys(from: source + "/keys", to: staging + "/keys")
            let store = try LMDBEventStore(directory: staging)
            defer { store.close() }
            let report = try store.verify { done, total in progress?("verifying the log", done, total) }
            if let problem = report.firstProblem {
                throw BackupError.damaged(file: "data.mdb", reason: "fails verification at position \(problem.position): \(problem.reason)")
            }
            if point == nil {
                guard report.head.position == manifest.headPosition, report.head.hash.hex == manifest.headHash else {
                    throw BackupError.damaged(file: "data.mdb", reason: "ends at \(report.head.position), not at the manifest's head \(manifest.headPosition)")
                }
            }
            head = report.head
            let projections = try await ProjectionSet.open(in: store)
            try await ProjectionRebuild.rebuild(projections) { done, total in progress?("rebuilding projections", done, total) }
        } catch {
            try? manager.removeItem(atPath: staging)
            try? manager.removeItem(atPath: staging + ".full")
            throw error
        }
        var setAside: String?
        if manager.fileExists(atPath: dataDirectory) {
            if occupied {
                let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
                let aside = dataDirectory + ".before-restore-" + stamp
                try manager.moveItem(atPath: dataDirectory, toPath: aside)
                setAside = aside
            } else {
                try manager.removeItem(atPath: dataDirectory)
            }
        }
        try manager.moveItem(atPath: staging, toPath: dataDirectory)
        if let moved = archive {
            archive = (dataDirectory + "/archive/" + (moved.path as NSString).lastPathComponent, moved.events)
        }
        return Restored(manifest: manifest, head: head, archive: archive, setAside: setAside)
    }

    /// Rebuilds the log of the backup's `data` up to `point` into `staging` (through an export,
    /// so every envelope is checked again), and archives the rest into `staging/archive`.
    private static func restorePart(of data: String, upTo point: RestorePoint, into staging: String, manifest: BackupManifest,
                                    progress: ((String, UInt64, UInt64) -> Void)?) async throws -> (LogHead, (path: String, events: UInt64)?) {
        let manager = FileManager.default
        let full = staging + ".full"
        try? manager.removeItem(atPath: full)
        try manager.createDirectory(atPath: full, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: full) }
        try manager.copyItem(atPath: data, toPath: full + "/data.mdb")
        let backup = try LMDBEventStore(directory: full, options: StoreOptions(readOnly: true))
        defer { backup.close() }
        let last: UInt64 = switch point {
        case .position(let position): position
        case .time(let time): try AsOf.position(atTime: time, in: backup)
        }
        guard last >= 1 else {
            throw BackupError.notABackup(directory: data, reason: "nothing in it was recorded at or before that point; its log starts later")
        }
        guard last <= manifest.headPosition else {
            throw BackupError.notABackup(directory: data, reason: "it ends at position \(manifest.headPosition), before \(last); restore it whole, or use a later backup")
        }
        let kept = full + "/kept.jsonl"
        try writeExport(of: backup, positions: 1...last, to: kept) { done, total in progress?("reading the log up to \(last)", done, total) }
        try manager.removeItem(atPath: staging)
        guard let lines = LineReader(path: kept) else { throw BackupError.damaged(file: kept, reason: "can not be read") }
        let head = try await LogExport.importLog(lines, into: staging) { done, total in progress?("rebuilding the log up to \(last)", done, total) }
        guard last < manifest.headPosition else { return (head, nil) }
        try manager.createDirectory(atPath: staging + "/archive", withIntermediateDirectories: true)
        let archive = staging + "/archive/events-after-\(last).jsonl"
        try writeExport(of: backup, positions: (last + 1)...manifest.headPosition, to: archive) { done, total in progress?("archiving what follows", done, total) }
        return (head, (archive, manifest.headPosition - last))
    }

    private static func writeExport(of store: LMDBEventStore, positions: ClosedRange<UInt64>, to path: String,
                                    progress: @escaping (UInt64, UInt64) -> Void) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw BackupError.damaged(file: path, reason: "can not be written")
        }
        defer { try? handle.close() }
        var buffer = Data()
        _ = try LogExport.export(store, positions: positions, to: { line in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }, progress: progress)
        try handle.write(contentsOf: buffer)
    }

    /// Copies every `*.key` file of `from` into `to` (created, mode 0700), returning name → SHA-256.
    private static func copyKeys(from: String, to: String) throws -> [String: String] {
        let manager = FileManager.default
        try manager.createDirectory(atPath: to, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var digests: [String: String] = [:]
        for name in ((try? manager.contentsOfDirectory(atPath: from)) ?? []).sorted() where name.hasSuffix(".key") {
            let target = to + "/" + name
            try manager.copyItem(atPath: from + "/" + name, toPath: target)
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            digests[name] = try sha256(ofFile: target)
        }
        return digests
    }

    /// SHA-256 (hex) of a file, read in chunks.
    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError.damaged(file: path, reason: "can not be read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
