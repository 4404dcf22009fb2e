import Domain
import Foundation

/// Times as Ironic writes them: ISO 8601 in UTC with microseconds and an explicit offset,
/// `2016-08-18T22:28:48.643434+00:00`.
enum Timestamp {
    /// `microseconds` since 1970 as Ironic writes a time.
    static func string(_ microseconds: Int64) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
            + ".\(pad(Int(fraction), 6))+00:00"
    }

    /// The time as JSON: the string, or `null` when unset.
    static func json(_ microseconds: Int64?) -> JSONValue {
        microseconds.map { .string(string($0)) } ?? .null
    }
}
