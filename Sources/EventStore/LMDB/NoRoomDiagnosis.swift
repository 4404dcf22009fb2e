import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a write LMDB reports as `EIO` failed, when the cause is a lack of room.
///
/// LMDB writes a commit's pages with `pwritev`; when the disk fills (or the process's file size
/// limit is reached) part-way through one, the call writes what fits and returns a short count,
/// which LMDB reports as `EIO` ("short write, filesystem full?"). The commit is aborted either way;
/// this tells a full disk from a failing one so the operator is told the right thing to do.
enum NoRoomDiagnosis {
    /// Below this much free space the volume counts as full.
    static let fullBelowBytes: UInt64 = 1 << 20

    /// The error number that explains a short write to `directory`'s data file: `EFBIG` when the
    /// file has reached the process's file size limit, `ENOSPC` when its volume has no room, `nil`
    /// when neither (a real I/O error).
    static func cause(directory: String) -> Int32? {
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb"))
            .flatMap { ($0[.size] as? NSNumber)?.uint64Value } ?? 0
        var limit = rlimit()
        #if canImport(Glibc)
        let fetched = getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0
        #else
        let fetched = getrlimit(RLIMIT_FSIZE, &limit) == 0
        #endif
        var volume = statvfs()
        let available = statvfs(directory, &volume) == 0 ? UInt64(volume.f_bavail) * UInt64(volume.f_frsize) : nil
        #if canImport(Darwin)
        let unlimited = RLIM_INFINITY
        #else
        let unlimited = rlim_t.max // RLIM_INFINITY, which Swift cannot import from glibc's headers
        #endif
        return classify(fileSize: fileSize, fileSizeLimit: fetched && limit.rlim_cur != unlimited ? UInt64(limit.rlim_cur) : nil,
                        availableBytes: available)
    }

    /// Pure: `EFBIG` if a file of `fileSize` bytes is within a page of `fileSizeLimit`, `ENOSPC` if
    /// fewer than ``fullBelowBytes`` are available, otherwise `nil`.
    static func classify(fileSize: UInt64, fileSizeLimit: UInt64?, availableBytes: UInt64?) -> Int32? {
        if let fileSizeLimit, fileSize + 4096 > fileSizeLimit { return EFBIG }
        if let availableBytes, availableBytes < fullBelowBytes { return ENOSPC }
        return nil
    }
}
