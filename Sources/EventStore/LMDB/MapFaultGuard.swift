import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the SIGBUS a read past the end of a cut-short data file raises into a message for the
/// operator and exit status 1, instead of a crash.
///
/// LMDB maps `data.mdb` into memory and follows page numbers into that map. When the file is
/// shorter than the pages its meta page says are in use (it was truncated, or a copy of it was cut
/// short), a read of a page past the end is not an error LMDB can return: the kernel raises SIGBUS.
/// A short file is not by itself proof of damage — LMDB may leave pages it freed in the same
/// transaction unwritten at the end of the file — so the open cannot refuse it; the first read of a
/// page that is really missing lands here.
enum MapFaultGuard {
    /// An open data file: how many environments have it open, its size and where its pages end.
    private struct Armed {
        var count: Int
        var fileSize: UInt64
        var pagesEnd: UInt64
    }

    /// Records `directory`'s data file among those a fault names, and installs the handler once.
    static func arm(directory: String, fileSize: UInt64, pagesEnd: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        armed[directory, default: Armed(count: 0, fileSize: fileSize, pagesEnd: pagesEnd)].count += 1
        armed[directory]?.fileSize = fileSize
        armed[directory]?.pagesEnd = pagesEnd
        publish()
        if !installed {
            installed = true
            signal(SIGBUS, mapFaultHandler)
        }
    }

    /// Forgets `directory` once its last environment closes.
    static func disarm(directory: String) {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = armed[directory] else { return }
        if entry.count > 1 { armed[directory]?.count -= 1 } else { armed[directory] = nil }
        publish()
    }

    /// What the operator reads when a read of `directory`'s data file hits its end.
    static func message(directory: String, fileSize: UInt64, pagesEnd: UInt64) -> String {
        "ironlog: error: \(directory)/data.mdb is truncated: a read went past the end of the file (SIGBUS); "
            + "\(sizes(fileSize: fileSize, pagesEnd: pagesEnd)). The data file was cut short (a truncated copy, a failed disk or file system). "
            + "Restore the data directory from a backup: ironlog restore BACKUP --data \(directory) --force "
            + "(see docs/disaster-recovery.md, Corruption).\n"
    }

    /// The same when several data directories are open: each is named, with its sizes.
    static func message(candidates: [(directory: String, fileSize: UInt64, pagesEnd: UInt64)]) -> String {
        if candidates.count == 1, let only = candidates.first {
            return message(directory: only.directory, fileSize: only.fileSize, pagesEnd: only.pagesEnd)
        }
        let files = candidates.map { "\($0.directory)/data.mdb (\(sizes(fileSize: $0.fileSize, pagesEnd: $0.pagesEnd)))" }
        return "ironlog: error: a data file is truncated: a read went past the end of the file (SIGBUS). Open data files: "
            + files.joined(separator: "; ") + ". Restore the truncated one from a backup: ironlog restore BACKUP --data DIR --force "
            + "(see docs/disaster-recovery.md, Corruption).\n"
    }

    private static func sizes(fileSize: UInt64, pagesEnd: UInt64) -> String {
        fileSize < pagesEnd
            ? "it is \(fileSize) bytes, but its meta page says its pages run to byte \(pagesEnd): \(pagesEnd - fileSize) bytes are missing"
            : "it was \(fileSize) bytes when opened"
    }

    /// Prepares the message the handler writes. The previous one is kept (a few bytes): the
    /// handler may be reading it right now.
    private static func publish() {
        let candidates = armed.keys.sorted().map { (directory: $0, fileSize: armed[$0]!.fileSize, pagesEnd: armed[$0]!.pagesEnd) }
        let copy = strdup(message(candidates: candidates))
        faultMessage = copy
        faultMessageLength = strlen(copy!)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var armed: [String: Armed] = [:]
}

nonisolated(unsafe) private var faultMessage: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var faultMessageLength = 0

/// Async-signal-safe: one write(2) of a message prepared in advance, then _exit(1).
private let mapFaultHandler: @convention(c) (Int32) -> Void = { _ in
    if let message = faultMessage { _ = write(2, message, faultMessageLength) }
    _exit(1)
}
