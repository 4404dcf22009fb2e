import Foundation

/// A stored envelope read in place: its fields point into the memory map, nothing is copied.
///
/// Valid only inside the closure that received it (see ``LMDBEventStore/withEnvelopes(from:limit:_:)``).
/// For replays that touch every event and keep little of each, such as a projection rebuild.
public struct EnvelopeView {
    /// Position in the log (1-based, gapless).
    public let position: UInt64
    /// Version of the event within its stream (1-based).
    public let streamVersion: UInt64
    /// When the store recorded the event, in µs since 1970.
    public let recordedAtMicroseconds: Int64
    /// The stream id, UTF-8.
    public let streamID: UnsafeRawBufferPointer
    /// The event type, UTF-8.
    public let type: UnsafeRawBufferPointer
    /// Who caused the event, UTF-8, if recorded.
    public let actor: UnsafeRawBufferPointer?
    /// The project the event was caused for, UTF-8, if recorded.
    public let project: UnsafeRawBufferPointer?
    /// The request id, UTF-8, if recorded.
    public let requestID: UnsafeRawBufferPointer?
    /// The payload bytes.
    public let payload: UnsafeRawBufferPointer
}

extension EnvelopeCodec {
    /// Reads a stored envelope's fields in place (the hash is neither read nor checked).
    static func view(_ stored: UnsafeRawBufferPointer) throws(Malformed) -> EnvelopeView {
        guard stored.count > EnvelopeHash.byteCount else { throw Malformed(description: "envelope of \(stored.count) bytes is too short") }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - EnvelopeHash.byteCount)]))
        do {
            let format = try reader.u8()
            guard format == Self.format else { throw Malformed(description: "unknown envelope format \(format)") }
            let position = try reader.u64()
            let streamVersion = try reader.u64()
            _ = try reader.u64()  // previous position in the stream
            _ = try reader.bytes(16)  // event id
            let recordedAt = Int64(bitPattern: try reader.u64())
            _ = try reader.u16()  // schema version
            let presence = try reader.u8()
            func shortBytes() throws -> UnsafeRawBufferPointer { try reader.bytes(Int(try reader.u16())) }
            let streamID = try shortBytes()
            let type = try shortBytes()
            let actor = presence & Presence.actor != 0 ? try shortBytes() : nil
            let project = presence & Presence.project != 0 ? try shortBytes() : nil
            let requestID = presence & Presence.requestID != 0 ? try shortBytes() : nil
            if presence & Presence.correlationID != 0 { _ = try reader.bytes(16) }
            if presence & Presence.causationID != 0 { _ = try reader.bytes(16) }
            let payload = try reader.bytes(Int(try reader.u32()))
            guard reader.remaining == 0 else { throw Malformed(description: "\(reader.remaining) trailing bytes after the payload") }
            return EnvelopeView(
                position: position, streamVersion: streamVersion, recordedAtMicroseconds: recordedAt, streamID: streamID, type: type,
                actor: actor, project: project, requestID: requestID, payload: payload
            )
        } catch let error as Malformed {
            throw error
        } catch {
            throw Malformed(description: "envelope is truncated")
        }
    }
}
