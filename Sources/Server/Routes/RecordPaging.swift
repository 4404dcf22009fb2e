import Domain
import Foundation
import Hummingbird

/// Sorting and paging of a list of records (allocations, deploy templates) after filtering:
/// `sort_key` over the records' field values (`id` is creation order), `sort_dir`, `marker`,
/// `limit`, and the `next` link when a page is full.
struct RecordPaging {
    /// The parsed query.
    let query: ResourceListQuery
    /// What a marker that is not in the list is called in the 404.
    let kind: String

    /// The page: sorted, after the marker, at most `limit` records.
    func page<Record>(_ records: [Record], uuid: (Record) -> UUID, createdAt: (Record) -> Int64,
                      values: (Record) -> [String: JSONValue]) throws -> [Record] {
        let keyed: [(JSONValue, Record)] = records.map { record in
            (query.sortKey == "id" ? .number(Double(createdAt(record))) : values(record)[query.sortKey] ?? .null, record)
        }
        var sorted = keyed.sorted { lhs, rhs in
            let order = NodeSorting.compare(lhs.0, rhs.0)
            return order != 0 ? order < 0 : uuid(lhs.1).uuidString < uuid(rhs.1).uuidString
        }.map(\.1)
        if query.sortDescending { sorted.reverse() }
        if let marker = query.marker {
            guard let index = sorted.firstIndex(where: { uuid($0) == marker }) else {
                throw DomainError.resourceNotFound(kind: kind, id: marker.lowercased)
            }
            sorted = Array(sorted[(index + 1)...])
        }
        return Array(sorted.prefix(query.limit))
    }

    /// The `next` link of a full page, else `nil`.
    func next(after page: [UUID], baseURL: String, path: String) -> JSONValue? {
        guard page.count == query.limit, let last = page.last else { return nil }
        let arguments = (query.nextArguments + [("limit", String(query.limit)), ("marker", last.lowercased)])
            .map { "\($0.0)=\(NodeCollectionRoutes.escape($0.1))" }.joined(separator: "&")
        return .string("\(baseURL)/v1/\(path)?\(arguments)")
    }
}

/// The answer to a request for a resource below the microversion that introduced it, as
/// Ironic's allocation and deploy template controllers give it: 404 to a `GET`, 405 to anything
/// else.
enum RecordGate {
    static func require(_ minor: Int, _ request: Request, _ context: IronlogRequestContext, what: String) throws {
        guard !context.apiVersion.allows(minor) else { return }
        if request.method == .get { throw IronicError.notFound("The API version does not allow \(what)") }
        throw IronicError(status: .methodNotAllowed, faultString: "The API version does not allow \(what)")
    }
}
