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
    /// Records `directory`'s data file as the one a fault names, and installs the handler once.
    static func arm(directory: String, fileSize: UInt64, pagesEnd: UInt64) {
        let message = Self.message(directory: directory, fileSize: fileSize, pagesEnd: pagesEnd)
        let copy = strdup(message)
        lock.lock()
        // The previous message is kept (a few bytes): the handler may be reading it right now.
        faultMessage = copy
        faultMessageLength = strlen(copy!)
        if !installed {
            installed = true
            signal(SIGBUS, mapFaultHandler)
        }
        lock.unlock()
    }

    /// What the operator reads when a read of `directory`'s data file hits its end.
    static func message(directory: String, fileSize: UInt64, pagesEnd: UInt64) -> String {
        let sizes = fileSize < pagesEnd
            ? "it is \(fileSize) bytes, but its meta page says its pages run to byte \(pagesEnd): \(pagesEnd - fileSize) bytes are missing"
            : "it was \(fileSize) bytes when opened"
        return "ironlog: error: \(directory)/data.mdb is truncated: a read went past the end of the file (SIGBUS); \(sizes). "
            + "The data file was cut short (a truncated copy, a failed disk or file system). Nothing was written. "
            + "Restore the data directory from a backup: ironlog restore BACKUP --data \(directory) --force "
            + "(see docs/disaster-recovery.md, Corruption).\n"
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var installed = false
}

nonisolated(unsafe) private var faultMessage: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var faultMessageLength = 0

/// Async-signal-safe: one write(2) of a message prepared in advance, then _exit(1).
private let mapFaultHandler: @convention(c) (Int32) -> Void = { _ in
    if let message = faultMessage { _ = write(2, message, faultMessageLength) }
    _exit(1)
}
