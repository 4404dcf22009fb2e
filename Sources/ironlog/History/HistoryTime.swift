import ArgumentParser
import Foundation

/// A time given on the command line: ISO 8601 with a zone (`2026-11-26T03:00:00Z`, fractions of a
/// second allowed) or a UTC day (`2026-11-26`, its first instant).
struct HistoryTime: ExpressibleByArgument {
    /// Microseconds since 1970.
    let microseconds: Int64

    init?(argument: String) {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        guard let date = plain.date(from: argument) ?? withFraction.date(from: argument) ?? day.date(from: argument) else { return nil }
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
