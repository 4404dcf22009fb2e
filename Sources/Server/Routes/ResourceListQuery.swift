import Domain
import Foundation
import Hummingbird

/// What a list query needs to know of the resource listed: its fields with their versions, which
/// of them are structured (not sortable), and its filters with their versions.
struct ListedResource {
    /// Field name → the minor version that introduced it.
    let fields: [String: Int]
    /// Fields that can not be sorted on.
    let structured: Set<String>
    /// Filter name → the minor version that introduced it.
    let filters: [String: Int]
    /// The minor version from which `detail=` is accepted: 1.43 for the lists that had none before
    /// it, the resource's own first version for those born with it (volume connectors and targets).
    var detailSince = 43

    /// Ports (`/v1/ports`).
    static let ports = ListedResource(fields: PortFieldVersions.introduced, structured: PortFieldVersions.structured,
                                      filters: ["node": 6, "node_uuid": 1, "address": 1, "portgroup": 24, "shard": 82,
                                                "description_contains": 97, "conductor_groups": 99])
    /// Port groups (`/v1/portgroups`).
    static let portGroups = ListedResource(fields: PortGroupFieldVersions.introduced, structured: PortGroupFieldVersions.structured,
                                           filters: ["node": 23, "address": 23, "conductor_groups": 99, "shard": 106])
}

/// The query of a collection of node resources (`GET /v1/ports[/detail]`, `/v1/portgroups`, and
/// their node-scoped twins): filters, `fields`, `detail`, and pagination, each checked against
/// the request's microversion (a parameter newer than it is 406, an unknown one is 400).
struct ResourceListQuery {
    /// The other parameters with their microversions.
    static let controls: [String: Int] = ["fields": 8, "detail": 43, "limit": 1, "marker": 1, "sort_key": 1, "sort_dir": 1]

    /// The filters given, by name, as given.
    var filterValues: [(name: String, value: String)] = []
    /// `fields=`, split.
    var fields: [String]?
    /// `detail=True`.
    var detail = false
    /// The page size.
    var limit = NodeListQuery.maximumLimit
    /// The UUID of the last resource of the previous page.
    var marker: UUID?
    /// The field sorted on; `id` is creation order.
    var sortKey = "id"
    /// `asc` or `desc`.
    var sortDescending = false
    /// `sort_key`/`sort_dir` as given (they go into the `next` link).
    var sortGiven: [(String, String)] = []

    /// Parses and checks `request`'s query at `version`; `nodeScoped` for `/nodes/{node}/ports`,
    /// where the node filters make no sense and are refused.
    init(_ request: Request, resource: ListedResource, version: MicroVersion, detailPath: Bool, nodeScoped: Bool = false) throws {
        for (rawKey, rawValue) in request.uri.queryParameters {
            let key = String(rawKey), value = String(rawValue)
            guard let minor = key == "detail" ? resource.detailSince : resource.filters[key] ?? Self.controls[key], !(nodeScoped && (key == "node" || key == "node_uuid")) else {
                throw IronicError.badRequest("Unknown argument: \"\(key)\"")
            }
            guard version.allows(minor) else { throw IronicError.needsVersion("The \"\(key)\" parameter", minor, requested: version) }
            switch key {
            case "fields":
                let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let unknown = names.filter { resource.fields[$0] == nil }
                if !unknown.isEmpty { throw IronicError.badRequest("Field(s) \"\(unknown.joined(separator: ", "))\" are not valid") }
                for name in names where !version.allows(resource.fields[name]!) {
                    throw IronicError.needsVersion("The field \"\(name)\"", resource.fields[name]!, requested: version)
                }
                fields = names
            case "detail":
                detail = try NodeListQuery.bool(value, key)
            case "limit":
                limit = try NodeListQuery.limit(value)
            case "marker":
                marker = try NodeListQuery.marker(value)
            case "sort_key":
                guard value == "id" || (resource.fields[value].map(version.allows) ?? false),
                      !resource.structured.contains(value) else {
                    throw IronicError.badRequest("The sort_key value \"\(value)\" is an invalid field for sorting")
                }
                sortKey = value
                sortGiven.append((key, value))
            case "sort_dir":
                sortDescending = try NodeListQuery.sortDescending(value)
                sortGiven.append((key, value))
            case "address":
                guard (try? MACAddress(value)) != nil else { throw IronicError.badRequest("Invalid MAC address: \(value).") }
                filterValues.append((key, value))
            case "node_uuid":
                guard Identifier.uuidLike(value) != nil else { throw IronicError.badRequest("Invalid value for node_uuid: \(value) is not a UUID.") }
                filterValues.append((key, value))
            default:
                filterValues.append((key, value))
            }
        }
        if fields != nil, detail || detailPath {
            throw IronicError.badRequest("Can not specify ?detail=True and fields in the same request.")
        }
    }

    /// Whether the response shows whole resources.
    func showsDetail(detailPath: Bool) -> Bool { detail || detailPath }

    /// The query arguments the `next` link repeats, before its `limit` and `marker`.
    var nextArguments: [(String, String)] {
        var arguments = sortGiven
        arguments += filterValues.map { ($0.name, $0.value) }
        if let fields { arguments.append(("fields", fields.joined(separator: ","))) }
        if detail { arguments.append(("detail", "True")) }
        return arguments
    }
}
