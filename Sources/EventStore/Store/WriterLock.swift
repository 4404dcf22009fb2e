import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive claim on a data directory for writing, held for as long as the store is open.
///
/// LMDB itself would let two processes write one environment in turn, but the store keeps the
/// log's head and every stream's tip in its writer's memory, so a second writer would corrupt the
/// chain. `flock` on `ironlog.lock` makes the second open fail instead; the kernel releases the
/// lock when the holder exits, however it exits.
final class WriterLock: Sendable {
    private let descriptor: Mutex<Int32>

    /// Takes the lock or throws ``EventStoreError/alreadyOpen(directory:holder:)``.
    init(directory: String) throws {
        let path = directory + "/ironlog.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw EventStoreError.notAStore(directory: directory, reason: "its lock file cannot be opened (\(String(cString: strerror(errno))))")
        }
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = ((try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { Int32($0) }
            // Our own pid: this process closed the directory, but a child it was forking at that
            // moment still shares the lock until it execs, which takes milliseconds. Wait for it.
            attempts += 1
            guard holder == getpid(), attempts < 400 else {
                close(descriptor)
                throw EventStoreError.alreadyOpen(directory: directory, holder: holder)
            }
            usleep(5_000)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.descriptor = Mutex(descriptor)
    }

    /// Gives the directory up; later calls do nothing.
    func release() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
        }
    }

    deinit { release() }
}
