import Foundation

/// An event of one of the records that are not nodes (allocations, chassis, deploy templates,
/// runbooks, inspection rules, networks, switches): a Codable enum whose payload is JSON with
/// sorted keys, so the same event always gives the same bytes.
public protocol RecordEvent: Sendable, Hashable, Codable {
    /// The schema version of every payload of this kind.
    static var schemaVersion: UInt16 { get }
    /// The event's type name in the log.
    var typeName: String { get }
}

extension RecordEvent {
    /// The payload: JSON with sorted keys.
    public func encodedPayload() throws -> Data { try RecordEventCoding.encoder.encode(self) }

    /// Decodes a payload the log holds.
    public static func decode(payload: Data) throws -> Self {
        try JSONValueDecoder().decode(Self.self, from: payload)
    }
}

/// The shared encoder of the record events.
enum RecordEventCoding {
    nonisolated(unsafe) static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
