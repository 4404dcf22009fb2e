import Logging
import Synchronization

/// A log that keeps every line in memory, metadata merged as a real handler merges it (the
/// handler's, then its metadata provider's, then the line's own), for tests to read back.
final class CapturedLog: Sendable {
    /// One logged line.
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let storage = Mutex<[Line]>([])

    /// Every line so far.
    var lines: [Line] { storage.withLock { $0 } }

    /// A logger writing here, at `trace` and above, with `metadataProvider`.
    func logger(label: String = "test", metadataProvider: Logger.MetadataProvider? = nil) -> Logger {
        var logger = Logger(label: label, factory: { _ in Handler(log: self, metadataProvider: metadataProvider) })
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: Line) { storage.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadataProvider: Logger.MetadataProvider?
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        init(log: CapturedLog, metadataProvider: Logger.MetadataProvider?) {
            self.log = log
            self.metadataProvider = metadataProvider
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            merged.merge(metadataProvider?.get() ?? [:]) { _, provided in provided }
            merged.merge(event.metadata ?? [:]) { _, given in given }
            log.append(Line(level: event.level, message: event.message.description, metadata: merged))
        }
    }
}
