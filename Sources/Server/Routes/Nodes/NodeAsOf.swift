import Domain
import Engine
import EventStore
import Foundation
import Projections

/// `?as_of=` on the node routes (an Ironlog extension): a log position, or an ISO 8601 time
/// (resolved to the last position recorded at or before it). The nodes are then folded from the
/// log by `AsOf`, never read from the projections.
enum NodeAsOf {
    /// The log position `value` names in `store`.
    static func position(_ value: String, in store: LMDBEventStore) throws -> UInt64 {
        if !value.isEmpty, value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) {
            guard let position = UInt64(value) else { throw invalid(value) }
            return position
        }
        guard let time = microseconds(value) else { throw invalid(value) }
        return try AsOf.position(atTime: time, in: store)
    }

    static func invalid(_ value: String) -> IronicError {
        IronicError.badRequest("Invalid as_of \"\(value)\": it must be a log position or an ISO 8601 time, e.g. 2026-01-02T03:04:05.123456+00:00.")
    }

    /// An ISO 8601 time with an offset (`Z` or `±HH:MM`) and up to microseconds, as µs since 1970.
    static func microseconds(_ text: String) -> Int64? {
        // A `+` in a query may arrive as a space.
        var value = text.replacingOccurrences(of: " ", with: "+")
        var fraction: Int64 = 0
        let characters = Array(value)
        guard characters.count >= 20 else { return nil }
        if characters[19] == "." {
            var end = 20
            while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
            let digits = String(characters[20..<end])
            guard !digits.isEmpty, digits.count <= 6, let parsed = Int64(digits) else { return nil }
            fraction = parsed * Int64(pow(10.0, Double(6 - digits.count)))
            value = String(characters[..<19]) + String(characters[end...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: value) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded()) * 1_000_000 + fraction
    }

    /// The node `ident` names as of `position`; 404 if it did not exist then.
    static func node(ident: String, at position: UInt64, version: MicroVersion, in store: LMDBEventStore) throws -> NodeAggregate {
        switch Identifier.parse(ident) {
        case .uuid(let uuid)?:
            guard let aggregate = try AsOf.node(uuid, at: position, in: store) else { throw DomainError.nodeNotFound(ident) }
            return aggregate
        case .name(let name)?:
            guard version.allows(5), let aggregate = try AsOf.fleet(at: position, in: store).values.first(where: { $0.node.name == name }) else {
                throw DomainError.nodeNotFound(ident)
            }
            return aggregate
        case nil:
            if !version.allows(5) { throw DomainError.nodeNotFound(ident) }
            throw IronicError.badRequest("Expected a logical name or UUID but received \(ident).")
        }
    }
}
