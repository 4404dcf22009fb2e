/// The shortest `data.mdb` LMDB can open: its two meta pages.
enum DataFileLength {
    /// LMDB's meta pages are one page each; 4096 bytes is the smallest page it uses.
    static let minimum: UInt64 = 2 * 4096

    /// Why a data file of `size` bytes cannot be a log, or `nil` if it may be one.
    static func problem(size: UInt64) -> String? {
        guard size < minimum else { return nil }
        return "its data file data.mdb is truncated: it is \(size) bytes, shorter than the \(minimum) bytes of LMDB's two meta pages"
            + (size == 0 ? " (if this directory never held a log, remove the empty data.mdb and start again)" : "")
    }
}
