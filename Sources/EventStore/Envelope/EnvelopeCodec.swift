import Foundation

/// The envelope's canonical binary form (format 1) — what is hashed and what is stored.
///
/// ```
/// u8  format (1)        u64 position          u64 stream version
/// u64 position of the stream's previous event (0 for its first)          16B event id
/// i64 recorded µs       u16 schema version    u8  metadata presence bits
/// u16+UTF-8 stream id   u16+UTF-8 type
/// [u16+UTF-8 actor] [u16+UTF-8 project] [u16+UTF-8 request id] [16B correlation] [16B causation]
/// u32 payload length + payload
/// 32B SHA-256(previous hash ‖ everything above)          ← stored, not hashed
/// ```
/// Integers are big-endian. The layout is fixed so that any implementation can recompute the chain.
enum EnvelopeCodec {
    static let format: UInt8 = 1

    /// The largest stream id or type name, in UTF-8 bytes (LMDB keys are at most 511 bytes).
    static let maxNameBytes = 400

    enum Presence {
        static let actor: UInt8 = 1 << 0
        static let project: UInt8 = 1 << 1
        static let requestID: UInt8 = 1 << 2
        static let correlationID: UInt8 = 1 << 3
        static let causationID: UInt8 = 1 << 4
    }

    /// Encodes the canonical bytes of an envelope (without its hash).
    static func canonicalBytes(
        position: UInt64, streamID: String, streamVersion: UInt64, previousInStream: UInt64, event: ProposedEvent, recordedAt: Int64
    ) -> [UInt8] {
        let metadata = event.metadata
        var writer = ByteWriter(capacity: 160 + streamID.utf8.count + event.type.utf8.count + event.payload.count)
        writer.u8(format)
        writer.u64(position)
        writer.u64(streamVersion)
        writer.u64(previousInStream)
        writer.uuid(event.eventID)
        writer.u64(UInt64(bitPattern: recordedAt))
        writer.u16(event.schemaVersion)
        var presence: UInt8 = 0
        if metadata.actor != nil { presence |= Presence.actor }
        if metadata.project != nil { presence |= Presence.project }
        if metadata.requestID != nil { presence |= Presence.requestID }
        if metadata.correlationID != nil { presence |= Presence.correlationID }
        if metadata.causationID != nil { presence |= Presence.causationID }
        writer.u8(presence)
        writer.shortString(streamID)
        writer.shortString(event.type)
        if let actor = metadata.actor { writer.shortString(actor) }
        if let project = metadata.project { writer.shortString(project) }
        if let requestID = metadata.requestID { writer.shortString(requestID) }
        if let correlationID = metadata.correlationID { writer.uuid(correlationID) }
        if let causationID = metadata.causationID { writer.uuid(causationID) }
        writer.u32(UInt32(event.payload.count))
        writer.raw(event.payload)
        return writer.bytes
    }

    /// Why stored bytes could not be read as an envelope.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads only the stream version and the previous position of a stored envelope — what a walk
    /// along a stream needs — without decoding the rest.
    static func streamLink(_ stored: UnsafeRawBufferPointer) -> (version: UInt64, previous: UInt64)? {
        guard stored.count > 25 + EnvelopeHash.byteCount, stored[0] == format else { return nil }
        return (
            UInt64(bigEndian: stored.loadUnaligned(fromByteOffset: 9, as: UInt64.self)),
            UInt64(bigEndian: stored.loadUnaligned(fromByteOffset: 17, as: UInt64.self))
        )
    }

    /// Decodes a stored envelope (canonical bytes followed by the hash).
    static func decode(_ stored: UnsafeRawBufferPointer) throws(Malformed) -> RecordedEvent {
        guard stored.count > EnvelopeHash.byteCount else { throw Malformed(description: "envelope of \(stored.count) bytes is too short") }
        let canonical = UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - EnvelopeHash.byteCount)])
        let hash = EnvelopeHash(bytes: UnsafeRawBufferPointer(rebasing: stored[(stored.count - EnvelopeHash.byteCount)...]))
        var reader = ByteReader(canonical)
        do {
            let format = try reader.u8()
            guard format == Self.format else { throw Malformed(description: "unknown envelope format \(format)") }
            let position = try reader.u64()
            let streamVersion = try reader.u64()
            let previousInStream = try reader.u64()
            let eventID = try reader.uuid()
            let recordedAt = Int64(bitPattern: try reader.u64())
            let schemaVersion = try reader.u16()
            let presence = try reader.u8()
            let streamID = try reader.shortString()
            let type = try reader.shortString()
            var metadata = EventMetadata()
            if presence & Presence.actor != 0 { metadata.actor = try reader.shortString() }
            if presence & Presence.project != 0 { metadata.project = try reader.shortString() }
            if presence & Presence.requestID != 0 { metadata.requestID = try reader.shortString() }
            if presence & Presence.correlationID != 0 { metadata.correlationID = try reader.uuid() }
            if presence & Presence.causationID != 0 { metadata.causationID = try reader.uuid() }
            let payloadCount = Int(try reader.u32())
            let payloadBytes = try reader.bytes(payloadCount)
            guard reader.remaining == 0 else { throw Malformed(description: "\(reader.remaining) trailing bytes after the payload") }
            return RecordedEvent(
                position: position, streamID: streamID, streamVersion: streamVersion,
                previousPositionInStream: previousInStream, eventID: eventID,
                type: type, schemaVersion: schemaVersion, recordedAtMicroseconds: recordedAt,
                metadata: metadata, payload: Data(payloadBytes), hash: hash
            )
        } catch is ByteReader.Truncated {
            throw Malformed(description: "envelope is truncated")
        } catch let error as Malformed {
            throw error
        } catch {
            throw Malformed(description: "\(error)")
        }
    }

    /// Re-encodes a decoded envelope's canonical bytes, for verification and import.
    static func canonicalBytes(of event: RecordedEvent) -> [UInt8] {
        canonicalBytes(
            position: event.position, streamID: event.streamID, streamVersion: event.streamVersion,
            previousInStream: event.previousPositionInStream,
            event: ProposedEvent(eventID: event.eventID, type: event.type, schemaVersion: event.schemaVersion, metadata: event.metadata, payload: event.payload),
            recordedAt: event.recordedAtMicroseconds
        )
    }
}
