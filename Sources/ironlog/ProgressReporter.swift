import EventStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress of a long operation on standard error: a bar with rate and ETA redrawn in place on a
/// terminal, plain lines (at most one every few seconds) otherwise.
final class ProgressReporter {
    private let label: String
    private let interactive = isatty(STDERR_FILENO) == 1
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant

    init(_ label: String) {
        self.label = label
        start = clock.now
        lastReport = clock.now
    }

    /// Reports that `done` of `total` units are finished.
    func update(_ done: UInt64, of total: UInt64) {
        let now = clock.now
        let interval: Duration = interactive ? .milliseconds(100) : .seconds(5)
        guard now - lastReport >= interval || done == total else { return }
        lastReport = now
        let elapsed = max((now - start).seconds, 0.001)
        let rate = Double(done) / elapsed
        let fraction = total == 0 ? 1 : min(Double(done) / Double(total), 1)
        let remaining = rate > 0 ? Double(total - min(done, total)) / rate : 0
        let figures = String(format: "%llu/%llu  %.0f/s  ETA %@", done, total, rate, Self.clockTime(remaining))
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            write("\r\(label) \(bar) \(String(format: "%3.0f%%", fraction * 100)) \(figures)\u{1B}[K")
        } else {
            write("\(label): \(String(format: "%.0f%%", fraction * 100)) \(figures)\n")
        }
    }

    /// Ends the bar's line.
    func finish() {
        if interactive { write("\n") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func clockTime(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}

/// Progress of an operation in named phases (verifying, rebuilding, …): one reporter per phase,
/// each finished when the next one starts, the last by ``finish()``.
final class PhasedProgress {
    private var current: (phase: String, reporter: ProgressReporter)?

    /// Reports `done` of `total` in `phase`.
    func update(_ phase: String, _ done: UInt64, of total: UInt64) {
        if current?.phase != phase {
            current?.reporter.finish()
            current = (phase, ProgressReporter(phase))
        }
        current?.reporter.update(done, of: total)
    }

    /// Finishes the phase under way.
    func finish() {
        current?.reporter.finish()
        current = nil
    }
}
