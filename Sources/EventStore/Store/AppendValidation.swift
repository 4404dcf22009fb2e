import Foundation

/// Checks an append's shape before it reaches the writer, so bad input is refused without
/// touching the log.
enum AppendValidation {
    /// Returns the number of events, or throws the first problem found.
    static func validate(_ appends: [StreamAppend], maxEventBytes: Int) throws(EventStoreError) -> Int {
        guard !appends.isEmpty else { throw .emptyAppend }
        // The common case — one stream, one event — needs no duplicate bookkeeping.
        let single = appends.count == 1 && appends[0].events.count == 1
        var streams = Set<String>()
        var eventIDs = Set<UUID>()
        var count = 0
        for append in appends {
            try validate(streamID: append.streamID)
            guard single || streams.insert(append.streamID).inserted else {
                throw .ambiguousAppend(reason: "stream \(append.streamID) appears more than once")
            }
            guard !append.events.isEmpty else { throw .emptyAppend }
            for event in append.events {
                guard single || eventIDs.insert(event.eventID).inserted else {
                    throw .ambiguousAppend(reason: "event id \(event.eventID) appears more than once")
                }
                let typeBytes = event.type.utf8.count
                guard typeBytes > 0 else { throw .invalidEventType(event.type, reason: "it is empty") }
                guard typeBytes <= EnvelopeCodec.maxNameBytes else {
                    throw .invalidEventType(event.type, reason: "it is \(typeBytes) bytes; the limit is \(EnvelopeCodec.maxNameBytes)")
                }
                let metadata = event.metadata
                let metadataBytes = (metadata.actor?.utf8.count ?? 0) + (metadata.project?.utf8.count ?? 0) + (metadata.requestID?.utf8.count ?? 0)
                for field in [metadata.actor, metadata.project, metadata.requestID] {
                    if let field, field.utf8.count > Int(UInt16.max) {
                        throw .eventTooLarge(eventID: event.eventID, bytes: field.utf8.count, limit: Int(UInt16.max))
                    }
                }
                let size = 128 + append.streamID.utf8.count + typeBytes + metadataBytes + event.payload.count
                guard size <= maxEventBytes else {
                    throw .eventTooLarge(eventID: event.eventID, bytes: size, limit: maxEventBytes)
                }
                count += 1
            }
        }
        return count
    }

    /// A stream id is 1 to 400 bytes of UTF-8 without NUL (the index separates id and version with it).
    static func validate(streamID: String) throws(EventStoreError) {
        let bytes = streamID.utf8
        guard !bytes.isEmpty else { throw .invalidStreamID(streamID, reason: "it is empty") }
        guard bytes.count <= EnvelopeCodec.maxNameBytes else {
            throw .invalidStreamID(streamID, reason: "it is \(bytes.count) bytes; the limit is \(EnvelopeCodec.maxNameBytes)")
        }
        guard !bytes.contains(0) else { throw .invalidStreamID(streamID, reason: "it contains a NUL character") }
    }
}

