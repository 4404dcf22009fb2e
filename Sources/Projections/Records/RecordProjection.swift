import Domain
import EventStore
import Foundation

/// Every record of one kind, kept inline: `<checkpoint>` maps a record's UUID (16 bytes) to the
/// record and its stream version (JSON, keys sorted), `<checkpoint>-names` a name to the UUID.
public struct RecordProjection<Kind: RecordKind>: InlineProjection {
    /// Record UUID → ``VersionedRecord``.
    public let records: Database
    /// Name → record UUID.
    public let names: Database
    let store: LMDBEventStore

    /// Opens (creating) the projection's databases in `store`.
    public static func open(in store: LMDBEventStore) async throws -> RecordProjection {
        RecordProjection(records: try await store.openDatabase(named: Kind.checkpointName),
                         names: try await store.openDatabase(named: Kind.checkpointName + "-names"), store: store)
    }

    /// Both databases, in a fixed order.
    public var databases: [Database] { [records, names] }

    public func apply(_ events: [RecordedEvent], in transaction: WriteTransaction) throws {
        let entries = events.compactMap { event in
            Kind.record(ofStream: event.streamID) == nil ? nil
                : RecordEntry(streamID: event.streamID, streamVersion: event.streamVersion,
                              recordedAtMicroseconds: event.recordedAtMicroseconds, payload: event.payload)
        }
        if !entries.isEmpty { try fold(entries, in: transaction) }
        if let last = events.last {
            try store.saveCheckpoint(named: Kind.checkpointName, position: last.position, in: transaction)
        }
    }

    /// Folds record envelopes (in log order) into the rows; also what a rebuild runs.
    func fold(_ entries: [RecordEntry], in transaction: WriteTransaction) throws {
        var touched: [UUID: (before: VersionedRecord<Kind.Record>?, after: VersionedRecord<Kind.Record>?)] = [:]
        var order: [UUID] = []
        for entry in entries {
            guard let uuid = Kind.record(ofStream: entry.streamID), let event = Kind.decode(entry.payload) else { continue }
            if touched[uuid] == nil {
                let current = try Self.versioned(uuid, in: transaction.reader, records: records)
                touched[uuid] = (current, current)
                order.append(uuid)
            }
            let evolved = Kind.evolve(touched[uuid]!.after?.record, event, at: entry.recordedAtMicroseconds)
            touched[uuid]!.after = evolved.map { VersionedRecord(record: $0, version: entry.streamVersion) }
        }
        for uuid in order {
            let (before, after) = touched[uuid]!
            let key = Self.key(uuid)
            let oldName = before.flatMap { Kind.name(of: $0.record) }, newName = after.flatMap { Kind.name(of: $0.record) }
            if let oldName, oldName != newName, try transaction.reader.value(forKey: Array(oldName.utf8), in: names) == key {
                try transaction.delete(Array(oldName.utf8), in: names)
            }
            if let newName { try transaction.put(key, forKey: Array(newName.utf8), in: names) }
            if let after {
                try transaction.put(try JSONValueEncoder().encode(after), forKey: key, in: records)
            } else if before != nil {
                try transaction.delete(key, in: records)
            }
        }
    }

    /// The record `uuid` with its version, if it exists.
    public func versioned(_ uuid: UUID) throws -> VersionedRecord<Kind.Record>? {
        try store.read { try Self.versioned(uuid, in: $0, records: records) }
    }

    /// The record `uuid`, if it exists.
    public func record(_ uuid: UUID) throws -> Kind.Record? { try versioned(uuid)?.record }

    /// The UUID of the record named `name`, if any.
    public func uuid(named name: String) throws -> UUID? {
        try store.read { txn in try txn.value(forKey: Array(name.utf8), in: names).flatMap { NodeTables.uuid($0) } }
    }

    /// Every record, in UUID byte order.
    public func all() throws -> [Kind.Record] {
        var result: [Kind.Record] = []
        try store.read { txn in
            try txn.forEach(in: records) { _, value in
                result.append(try JSONValueDecoder().decode(VersionedRecord<Kind.Record>.self, from: Data(value)).record)
                return true
            }
        }
        return result
    }

    static func versioned(_ uuid: UUID, in transaction: ReadTransaction, records: Database) throws -> VersionedRecord<Kind.Record>? {
        guard let bytes = try transaction.value(forKey: key(uuid), in: records) else { return nil }
        return try JSONValueDecoder().decode(VersionedRecord<Kind.Record>.self, from: Data(bytes))
    }

    static func key(_ uuid: UUID) -> [UInt8] { NodeTables.key(uuid) }
}

/// Refuses an append that would give a record a name another record of its kind holds — checked
/// inside the writer's transaction, so two requests racing for one name can not both win.
public struct RecordNameCondition<Kind: RecordKind>: AppendCondition {
    let names: Database
    let record: UUID
    let name: String

    /// The condition for `record` about to be named `name` in `projection`.
    public init(_ projection: RecordProjection<Kind>, record: UUID, name: String) {
        self.names = projection.names
        self.record = record
        self.name = name
    }

    public func check(_ transaction: ReadTransaction) throws {
        if let owner = try transaction.value(forKey: Array(name.utf8), in: names), owner != NodeTables.key(record) {
            throw DomainError.duplicateResourceName(kind: Kind.kindName, name: name)
        }
    }
}
