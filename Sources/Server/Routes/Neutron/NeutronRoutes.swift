import Domain
import Foundation
import Hummingbird

/// `/v2.0` (an Ironlog extension): a read-only OpenStack Networking (Neutron) v2.0 view of the
/// VIFs and configured networks (see ``NeutronView``), so that a client configured with
/// `network_endpoint_override: http://HOST:PORT/v2.0` — metalsmith showing a deployed
/// instance — finds its ports and networks without a Neutron. `GET /v2.0` is the version
/// document keystoneauth discovers; `GET /v2.0/ports` filters by `id`, `network_id`,
/// `mac_address`, `device_id` and `binding:host_id`, `GET /v2.0/networks` by `id` and `name`
/// (each repeatable: any of the values). Another parameter is 400; an unknown port or network 404.
struct NeutronRoutes {
    let api: NodeAPI

    /// The port filters, each the document member it compares.
    static let portFilters: Set<String> = ["id", "network_id", "mac_address", "device_id", "binding:host_id"]
    /// The network filters.
    static let networkFilters: Set<String> = ["id", "name"]

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.onExactly("/v2.0", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let base = api.baseURL(request)
            let version: JSONValue = ["id": "v2.0", "status": "CURRENT", "links": [["rel": "self", "href": .string("\(base)/v2.0/")]]]
            return try JSONBody(value: ["version": version]).response(from: request, context: context)
        }
        table.onExactly("/v2.0/ports", .get) { request, context in
            let filters = try Self.filters(request, allowed: Self.portFilters)
            let ports = try view().ports.filter { Self.matches($0, filters) }
            return try JSONBody(value: ["ports": .array(ports)]).response(from: request, context: context)
        }
        table.onExactly("/v2.0/ports/:port_id", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let id = try context.parameters.require("port_id")
            guard let port = try view().ports.first(where: { $0["id"] == .string(id) }) else {
                throw DomainError.resourceNotFound(kind: "Port", id: id)
            }
            return try JSONBody(value: ["port": port]).response(from: request, context: context)
        }
        table.onExactly("/v2.0/networks", .get) { request, context in
            let filters = try Self.filters(request, allowed: Self.networkFilters)
            let networks = try api.conductor.networks.all().sorted { $0.name < $1.name }.map(NeutronView.network)
            return try JSONBody(value: ["networks": .array(networks.filter { Self.matches($0, filters) })]).response(from: request, context: context)
        }
        table.onExactly("/v2.0/networks/:network_id", .get) { request, context in
            try NodeAPI.refuseUnknownQuery(request)
            let id = try context.parameters.require("network_id")
            guard let uuid = Identifier.uuidLike(id), let network = try api.conductor.networks.all().first(where: { $0.uuid == uuid }) else {
                throw DomainError.resourceNotFound(kind: "Network", id: id)
            }
            return try JSONBody(value: ["network": NeutronView.network(network)]).response(from: request, context: context)
        }
    }

    /// The fleet as the view shows it.
    private func view() throws -> NeutronView {
        NeutronView(nodes: try api.lookup.all(), networks: try api.conductor.networks.all())
    }

    /// The query's filters, name → the values asked (a name may repeat); 400 for a name not in
    /// `allowed`. Names are percent-decoded (`binding%3Ahost_id`), as values already are.
    static func filters(_ request: Request, allowed: Set<String>) throws -> [String: [String]] {
        var filters: [String: [String]] = [:]
        for (rawKey, value) in request.uri.queryParameters {
            let key = String(rawKey).removingPercentEncoding ?? String(rawKey)
            guard allowed.contains(key) else { throw IronicError.badRequest("Unknown argument: \"\(key)\"") }
            filters[key, default: []].append(String(value))
        }
        return filters
    }

    /// Whether `document` has, for every filter, one of its values (MAC addresses compared
    /// without regard to case).
    static func matches(_ document: JSONValue, _ filters: [String: [String]]) -> Bool {
        filters.allSatisfy { key, values in
            guard let member = document[key]?.stringValue else { return false }
            return values.contains { key == "mac_address" ? $0.lowercased() == member.lowercased() : $0 == member }
        }
    }
}
