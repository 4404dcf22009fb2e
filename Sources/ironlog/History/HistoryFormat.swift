import ArgumentParser
import Domain
import EventStore
import Foundation
import Server

/// How `ironlog history` prints the events it finds.
enum HistoryFormat: String, ExpressibleByArgument, CaseIterable {
    /// Aligned columns for a person: position, time, stream, type, actor, request, what.
    case table
    /// One JSON object per line, the document of `GET /v1/events` (secrets stay sealed).
    case jsonl
    /// Comma-separated values with a header line, for a spreadsheet.
    case csv

    /// The columns of the table and the CSV.
    static let columns = ["position", "recorded_at", "stream", "type", "actor", "project", "request_id", "event_id", "causation_id", "payload"]

    /// The lines that print `events`, header first where the format has one.
    func lines(_ events: [RecordedEvent]) -> [String] {
        switch self {
        case .jsonl:
            return events.map { Self.text(EventRepresentation.document($0)) }
        case .csv:
            return [Self.columns.joined(separator: ",")] + events.map { Self.cells($0).map(Self.csvField).joined(separator: ",") }
        case .table:
            let shown = ["position", "recorded_at", "stream", "type", "actor", "request_id", "payload"]
            let indexes = shown.map { Self.columns.firstIndex(of: $0)! }
            let rows = [shown.map { $0.uppercased() }] + events.map { event in
                let cells = Self.cells(event)
                return indexes.map { index in
                    index == indexes.last ? Self.shortened(cells[index], to: 80) : cells[index]
                }
            }
            let widths = shown.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            return rows.map { row in
                row.indices.map { column in
                    column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            }
        }
    }

    /// One event's cells, in ``columns`` order; absent metadata is empty.
    static func cells(_ event: RecordedEvent) -> [String] {
        guard case .object(let document) = EventRepresentation.document(event) else { return [] }
        return columns.map { column in
            switch document[column] {
            case .string(let text)?: text
            case .number(let number)?: String(UInt64(number))
            case nil, .null?: ""
            case let value?: text(value)
            }
        }
    }

    /// Compact JSON text of `value`.
    static func text(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        JSONSerializer.write(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
