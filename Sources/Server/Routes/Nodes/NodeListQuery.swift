import Domain
import Foundation
import Hummingbird

/// The query of `GET /v1/nodes` and `/v1/nodes/detail`: filters, `fields`, `detail`, and
/// pagination (`limit`, `marker`, `sort_key`, `sort_dir`), each checked against the request's
/// microversion (a parameter newer than it is 406, an unknown one is 400).
struct NodeListQuery {
    /// Ironic's `[api]max_limit`: larger or absent limits are clamped to it.
    static let maximumLimit = 1000

    /// Each filter with its microversion.
    static let filters: [String: Int] = [
        "associated": 1, "maintenance": 1, "instance_uuid": 1, "chassis_uuid": 1, "provision_state": 9, "driver": 16,
        "resource_class": 21, "fault": 42, "conductor_group": 46, "conductor": 49, "owner": 50, "description_contains": 51,
        "retired": 61, "lessee": 65, "project": 65, "shard": 82, "sharded": 82, "parent_node": 83, "include_children": 83,
        "instance_name": 104,
    ]
    /// The other parameters with their microversions.
    static let controls: [String: Int] = ["fields": 8, "detail": 43, "limit": 1, "marker": 1, "sort_key": 1, "sort_dir": 1]

    /// The filters given, by name, as given.
    var filterValues: [(name: String, value: String)] = []
    /// `fields=`, split.
    var fields: [String]?
    /// `detail=True`.
    var detail = false
    /// The page size.
    var limit = maximumLimit
    /// The UUID of the last node of the previous page.
    var marker: UUID?
    /// The field sorted on; `id` is creation order.
    var sortKey = "id"
    /// `asc` or `desc`.
    var sortDescending = false
    /// `as_of=` as given: the list as it stood at that log position or time.
    var asOf: String?
    /// Whether `sort_key`/`sort_dir` were given (they go into the `next` link).
    var sortGiven: [(String, String)] = []

    /// Parses and checks `request`'s query at `version`; `detailPath` for `/nodes/detail`.
    init(_ request: Request, version: MicroVersion, detailPath: Bool) throws {
        for (rawKey, rawValue) in request.uri.queryParameters {
            let key = String(rawKey), value = String(rawValue)
            if key == "as_of" {
                // An Ironlog extension, at every version; resolved against the log by the route.
                asOf = value
                continue
            }
            guard let minor = Self.filters[key] ?? Self.controls[key] else {
                throw IronicError.badRequest("Unknown argument: \"\(key)\"")
            }
            guard version.allows(minor) else { throw IronicError.needsVersion("The \"\(key)\" parameter", minor, requested: version) }
            switch key {
            case "fields":
                let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                try NodeFieldVersions.check(selection: names, at: version)
                fields = names
            case "detail":
                detail = try Self.bool(value, key)
            case "limit":
                limit = try Self.limit(value)
            case "marker":
                marker = try Self.marker(value)
            case "sort_key":
                guard value == "id" || (NodeFieldVersions.introduced[value].map(version.allows) ?? false),
                      !NodeFieldVersions.structured.contains(value) else {
                    throw IronicError.badRequest("The sort_key value \"\(value)\" is an invalid field for sorting")
                }
                sortKey = value
                sortGiven.append((key, value))
            case "sort_dir":
                sortDescending = try Self.sortDescending(value)
                sortGiven.append((key, value))
            default:
                try checkFilter(key, value)
                filterValues.append((key, value))
            }
        }
        if fields != nil, detail || detailPath {
            throw IronicError.badRequest("Can not specify ?detail=True and fields in the same request.")
        }
    }

    /// Whether the response shows whole nodes.
    func showsDetail(detailPath: Bool) -> Bool { detail || detailPath }

    private func checkFilter(_ key: String, _ value: String) throws {
        switch key {
        case "associated", "maintenance", "retired", "sharded", "include_children":
            _ = try Self.bool(value, key)
        case "provision_state":
            guard ProvisionState(rawValue: value) != nil else {
                throw IronicError.badRequest("Invalid value for provision_state: \"\(value)\" is not a provision state.")
            }
        case "instance_uuid", "chassis_uuid":
            guard Identifier.uuidLike(value) != nil else { throw IronicError.badRequest("Invalid value for \(key): \(value) is not a UUID.") }
        default:
            break
        }
    }

    /// Ironic's (oslo's) boolean strings.
    /// `limit`: a positive integer, capped at ``maximumLimit``.
    static func limit(_ value: String) throws -> Int {
        guard let number = Int(value) else { throw IronicError.badRequest("Invalid value for limit: \(value) is not an integer.") }
        guard number > 0 else { throw IronicError.badRequest("Limit must be positive") }
        return min(number, maximumLimit)
    }

    /// `marker`: the UUID of the last item of the previous page.
    static func marker(_ value: String) throws -> UUID {
        guard let uuid = Identifier.uuidLike(value) else { throw IronicError.badRequest("Invalid marker: \(value) is not a UUID.") }
        return uuid
    }

    /// `sort_dir`: whether it is `desc` (`asc` otherwise).
    static func sortDescending(_ value: String) throws -> Bool {
        guard value == "asc" || value == "desc" else {
            throw IronicError.badRequest("Invalid sort direction: \(value). Acceptable values are 'asc' or 'desc'")
        }
        return value == "desc"
    }

    static func bool(_ value: String, _ key: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes", "y", "on", "t": return true
        case "false", "0", "no", "n", "off", "f": return false
        default: throw IronicError.badRequest("Invalid value for \(key): \"\(value)\" is not a boolean.")
        }
    }

    /// Whether `node` passes every filter.
    func matches(_ node: Node, conductorHost: String, version: MicroVersion) -> Bool {
        var includeChildren = !version.allows(83)
        for (key, value) in filterValues {
            let ok: Bool
            switch key {
            case "associated": ok = (node.instanceUUID != nil) == ((try? Self.bool(value, key)) ?? false)
            case "maintenance": ok = node.maintenance == ((try? Self.bool(value, key)) ?? false)
            case "retired": ok = node.retired == ((try? Self.bool(value, key)) ?? false)
            case "instance_uuid": ok = node.instanceUUID == Identifier.uuidLike(value)
            case "chassis_uuid": ok = node.chassisUUID == Identifier.uuidLike(value)
            case "provision_state": ok = node.provisionState.rawValue == value
            case "driver": ok = node.driver == value
            case "resource_class": ok = node.resourceClass == value
            case "fault": ok = node.fault == value
            case "conductor_group": ok = node.conductorGroup == value.lowercased()
            case "conductor": ok = conductorHost == value
            case "owner": ok = node.owner == value
            case "lessee": ok = node.lessee == value
            case "project": ok = node.owner == value || node.lessee == value
            case "description_contains": ok = node.description?.contains(value) ?? false
            case "shard": ok = value.split(separator: ",").map(String.init).contains(node.shard ?? "\u{0}")
            case "sharded": ok = (node.shard != nil) == ((try? Self.bool(value, key)) ?? false)
            case "parent_node":
                ok = node.parentNode == value
                includeChildren = true
            case "include_children":
                ok = true
                includeChildren = (try? Self.bool(value, key)) ?? false
            case "instance_name": ok = node.instanceName == value
            default: ok = true
            }
            if !ok { return false }
        }
        return includeChildren || node.parentNode == nil
    }

    /// The query arguments the `next` link repeats, before its `limit` and `marker`.
    var nextArguments: [(String, String)] {
        var arguments = sortGiven
        arguments += filterValues.map { ($0.name, $0.value) }
        if let fields { arguments.append(("fields", fields.joined(separator: ","))) }
        if detail { arguments.append(("detail", "True")) }
        if let asOf { arguments.append(("as_of", asOf)) }
        return arguments
    }
}
