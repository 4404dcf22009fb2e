import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The boot tree on disk: files written whole or not at all, removed without fuss.
///
/// A TFTP or HTTP server may read a file at any moment, and a node that PXE-boots half a config
/// hangs in its firmware. So every write goes to a temporary file beside the target, is flushed,
/// and is renamed over it: a reader sees the old content or the new, never a mix. Writing the
/// same content again changes nothing, so every operation may be repeated.
struct BootFileStore: Sendable {
    /// The root of the tree.
    let root: String

    /// The absolute path of `relative`.
    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    /// The content of `relative`, or `nil` if it does not exist.
    func read(_ relative: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(relative)) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Replaces `relative` with `content` atomically (temporary file, flush, rename), creating
    /// directories as needed; nothing is written if the file already holds `content`.
    func write(_ content: String, to relative: String) throws(DriverError) {
        if read(relative) == content { return }
        let target = path(relative)
        let directory = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DriverError("Cannot create the boot directory \(directory): \(error.localizedDescription)")
        }
        let temporary = (directory as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure("create", temporary) }
        let bytes = Array(content.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let error = Self.failure("write", temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            let error = Self.failure("flush", temporary)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, target) == 0 else {
            let error = Self.failure("rename", target)
            unlink(temporary)
            throw error
        }
    }

    /// Removes `relative` if it exists.
    func remove(_ relative: String) throws(DriverError) {
        guard unlink(path(relative)) == 0 || errno == ENOENT else { throw Self.failure("remove", path(relative)) }
    }

    /// Removes the directory `relative` if it exists and is empty (leftover temporary files of an
    /// interrupted write included).
    func removeDirectory(_ relative: String) throws(DriverError) {
        let directory = path(relative)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries where entry.hasPrefix(".") && entry.hasSuffix(".tmp") {
            unlink((directory as NSString).appendingPathComponent(entry))
        }
        guard rmdir(directory) == 0 || errno == ENOENT || errno == ENOTEMPTY else { throw Self.failure("remove", directory) }
    }

    private static func failure(_ action: String, _ path: String) -> DriverError {
        DriverError("Cannot \(action) the boot file \(path): \(String(cString: strerror(errno)))")
    }
}

/// `write(2)`, named apart from ``BootFileStore/write(_:to:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
