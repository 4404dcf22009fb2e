import Foundation
import Testing
@testable import EventStore

/// The pure judgements behind the store's reports of a damaged data directory or a full disk.
@Suite("Damage and full-disk diagnosis")
struct DamageDiagnosisTests {
    @Test("a short write is a full disk when the file reached its size limit or the volume has no room, otherwise an I/O error")
    func shortWrite() {
        #expect(NoRoomDiagnosis.classify(fileSize: 1 << 20, fileSizeLimit: 1 << 20, availableBytes: 1 << 40) == EFBIG)
        #expect(NoRoomDiagnosis.classify(fileSize: 1 << 20, fileSizeLimit: nil, availableBytes: 4096) == ENOSPC)
        #expect(NoRoomDiagnosis.classify(fileSize: 1 << 20, fileSizeLimit: 1 << 30, availableBytes: 1 << 40) == nil)
        #expect(NoRoomDiagnosis.classify(fileSize: 1 << 20, fileSizeLimit: nil, availableBytes: nil) == nil)
        #expect(EventStoreError.storage(operation: "mdb_txn_commit", code: ENOSPC, message: "No space left on device").isDiskFull)
        #expect(!EventStoreError.storage(operation: "mdb_txn_commit", code: EIO, message: "Input/output error").isDiskFull)
        // A failed sync is not "nothing recorded": its commit is already in the log.
        #expect(!EventStoreError.storage(operation: "mdb_env_sync", code: ENOSPC, message: "No space left on device").isDiskFull)
    }

    @Test("a data file shorter than two meta pages is refused, an empty one with a hint for a never-used directory")
    func shortDataFile() {
        #expect(DataFileLength.problem(size: 8192) == nil)
        #expect(DataFileLength.problem(size: 5000)?.contains("it is 5000 bytes") == true)
        #expect(DataFileLength.problem(size: 0)?.contains("remove the empty data.mdb") == true)
    }

    @Test("the message for a read past the end of the data file says how much is missing and how to restore")
    func truncationMessage() {
        let message = MapFaultGuard.message(directory: "/var/lib/ironlog", fileSize: 4096 * 10, pagesEnd: 4096 * 12)
        #expect(message.contains("/var/lib/ironlog/data.mdb is truncated"))
        #expect(message.contains("it is 40960 bytes, but its meta page says its pages run to byte 49152: 8192 bytes are missing"))
        #expect(message.contains("ironlog restore BACKUP --data /var/lib/ironlog --force"))
        let several = MapFaultGuard.message(candidates: [("/a", 8192, 8192), ("/b", 4096 * 10, 4096 * 12)])
        #expect(several.contains("/a/data.mdb (it was 8192 bytes when opened); /b/data.mdb (it is 40960 bytes, but"))
        #expect(several.contains("ironlog restore BACKUP --data DIR --force"))
    }
}
