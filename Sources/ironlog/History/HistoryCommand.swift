import ArgumentParser
import EventStore
import Foundation
import Projections

/// `ironlog history`: who did what to which machine, when, and why — a query to the log of a data
/// directory, safe while the server runs (it reads in read-only transactions).
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Query the event log: by node, event type, actor, project, request, time or position.",
        discussion: """
        Every filter narrows the answer; with none, every event is printed, oldest first. \
        `--why EVENT` follows the causation chain of one event (its UUID or position) back to the \
        request that started it, the request first.

        Examples:
          ironlog history --data /var/lib/ironlog --node rack1-04
          ironlog history --node rack1-04 --type PowerStateChanged --since 2026-11-26
          ironlog history --actor alice --format csv > alice.csv
          ironlog history --why 18422
        """
    )

    @OptionGroup var data: DataDirectoryOption

    @Option(help: ArgumentHelp("Only this node's events.", valueName: "UUID|NAME"))
    var node: String?

    @Option(help: ArgumentHelp("Only events of this type, e.g. ProvisionStateChanged.", valueName: "TYPE"))
    var type: String?

    @Option(help: "Only events caused by this user or service.")
    var actor: String?

    @Option(help: "Only events caused for this project.")
    var project: String?

    @Option(name: .customLong("request-id"), help: "Only events caused by this API request (its Openstack-Request-Id).")
    var requestID: String?

    @Option(help: ArgumentHelp("Only events recorded at or after this time (ISO 8601, or a UTC day).", valueName: "TIME"))
    var since: HistoryTime?

    @Option(help: ArgumentHelp("Only events recorded at or before this time (ISO 8601, or a UTC day).", valueName: "TIME"))
    var until: HistoryTime?

    @Option(help: ArgumentHelp("Only events at or after this log position.", valueName: "POSITION"))
    var from: UInt64?

    @Option(help: ArgumentHelp("Only events at or before this log position.", valueName: "POSITION"))
    var to: UInt64?

    @Option(help: "At most this many events (the oldest that match).")
    var limit: Int?

    @Option(help: ArgumentHelp("How to print: table, jsonl (the documents of GET /v1/events) or csv.", valueName: "FORMAT"))
    var format: HistoryFormat = .table

    @Option(help: ArgumentHelp("Follow this event's causation chain back to its request.", valueName: "EVENT_UUID|POSITION"))
    var why: String?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to).") }
        if let since, let until, since.microseconds > until.microseconds { throw ValidationError("--since is after --until.") }
        if why != nil, node != nil || type != nil || actor != nil || project != nil || requestID != nil || since != nil || until != nil || from != nil || to != nil {
            throw ValidationError("--why follows one event's chain; it takes no other filter.")
        }
    }

    func run() async throws {
        let store = try LMDBEventStore(directory: data.path, options: StoreOptions(readOnly: true))
        defer { store.close() }
        let events = if let why { try CausationChain.events(leadingTo: why, in: store) } else { try await query(store) }
        for line in format.lines(events) { print(line) }
    }

    private func query(_ store: LMDBEventStore) async throws -> [RecordedEvent] {
        var query = HistoryQuery()
        if let node { query.node = try await NodeIdent.resolve(node, in: store, directory: data.path) }
        query.type = type
        query.actor = actor
        query.project = project
        query.requestID = requestID
        query.since = since?.microseconds
        query.until = until?.microseconds
        query.positions = (from ?? 1)...(to ?? UInt64.max)
        query.limit = limit ?? Int.max
        let index = try await HistoryIndex.open(in: store)
        return try index.events(matching: query)
    }
}

/// A node named on the command line, by UUID or by name.
enum NodeIdent {
    static func resolve(_ ident: String, in store: LMDBEventStore, directory: String) async throws -> UUID {
        if let uuid = UUID(uuidString: ident) { return uuid }
        let fleet = ProjectedFleet(store: store, tables: try await NodeTables.open(in: store))
        guard let uuid = fleet.node(named: ident) else {
            throw HistoryFailure("No node is named \(ident) in \(directory) now. A deleted node's name is freed: give its UUID instead (`ironlog history --type NodeDeleted` lists them).")
        }
        return uuid
    }
}

/// An event and the events that caused it, each naming the one before in its metadata.
enum CausationChain {
    /// The chain that ends at `ident` (an event UUID or a log position), its first cause first.
    static func events(leadingTo ident: String, in store: LMDBEventStore) throws -> [RecordedEvent] {
        guard let start = try position(of: ident, in: store), let last = try store.events(from: start, limit: 1).first, last.position == start else {
            throw HistoryFailure("No event \(ident) in the log. Give an event UUID or a position that `ironlog history` printed.")
        }
        var chain = [last]
        var seen: Set<UInt64> = [start]
        while let cause = chain[0].metadata.causationID, let position = try store.position(ofEvent: cause), seen.insert(position).inserted,
              let event = try store.events(from: position, limit: 1).first {
            chain.insert(event, at: 0)
        }
        return chain
    }

    private static func position(of ident: String, in store: LMDBEventStore) throws -> UInt64? {
        if let position = UInt64(ident) { return position }
        guard let uuid = UUID(uuidString: ident) else { return nil }
        return try store.position(ofEvent: uuid)
    }
}

/// Why a history query has no answer, and what to do instead.
struct HistoryFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
