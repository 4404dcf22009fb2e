import Domain
import Foundation
import Hummingbird

/// `GET /v1/conductors` and `GET /v1/conductors/{hostname}` (1.49): this process is the one
/// conductor, alive, in the default group, with every hardware type it has.
struct ConductorRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/conductors", .get) { request, context in
            try NodeAPI.requireEndpoint(49, context)
            try NodeAPI.refuseUnknownQuery(request, allowed: ["detail", "limit", "marker", "sort_key", "sort_dir", "fields"])
            let detail = try request.uri.queryParameters["detail"].map { try NodeListQuery.bool(String($0), "detail") } ?? false
            return try JSONBody(value: ["conductors": [document(request, detail: detail)]]).response(from: request, context: context)
        }
        table.on("/conductors/:hostname", .get) { request, context in
            try NodeAPI.requireEndpoint(49, context)
            try NodeAPI.refuseUnknownQuery(request, allowed: ["fields"])
            let name = try context.parameters.require("hostname")
            guard name == api.conductor.commands.reservation.host else { throw IronicError.notFound("Conductor \(name) could not be found.") }
            return try JSONBody(value: document(request, detail: true)).response(from: request, context: context)
        }
    }

    /// The conductor's document: `hostname`, `conductor_group`, `alive`, links; in detail also
    /// its drivers and times.
    func document(_ request: Request, detail: Bool) -> JSONValue {
        let host = api.conductor.commands.reservation.host
        var document: [String: JSONValue] = [
            "hostname": .string(host), "conductor_group": "", "alive": true,
            "links": ResourceLinks.pair(baseURL: api.baseURL(request), path: "conductors/\(host)"),
        ]
        if detail {
            document["drivers"] = .array(api.conductor.drivers.hardwareTypes.keys.sorted().map(JSONValue.string))
            document["created_at"] = Timestamp.json(Self.started)
            document["updated_at"] = Timestamp.json(Int64(Date().timeIntervalSince1970 * 1_000_000))
        }
        return .object(document)
    }

    /// When this process started serving, in microseconds.
    static let started = Int64(Date().timeIntervalSince1970 * 1_000_000)
}
