import Domain
import Hummingbird

/// `GET /v1/nodes/{id}/bios` and `…/bios/{setting}` (1.40; 404 before): the BIOS settings the
/// node's bios interface last reported, as recorded in its log (`BIOSSettingsCached`).
///
/// Each setting shows `name`, `value`, `created_at`, `updated_at` and `links`; from 1.74 a single
/// setting, `detail=True` and `fields` add the registry fields (`attribute_type`,
/// `allowable_values`, …). Below 1.74 `detail` and `fields` are 406; together they are 400.
struct NodeBIOSRoutes {
    let api: NodeAPI

    /// The microversion that adds `/bios`.
    static let minor = 40
    /// The microversion that adds the registry fields, `detail` and `fields`.
    static let registryMinor = 74
    /// What a setting shows without the registry.
    static let defaultFields = ["name", "value"]

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/bios", .get) { request, context in try list(request, context) }
        table.on("/nodes/:node_ident/bios/:setting", .get) { request, context in try show(request, context) }
    }

    /// `{"bios": […]}`.
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request, allowed: ["detail", "fields"])
        let version = context.apiVersion
        let query = request.uri.queryParameters
        let detail = try query["detail"].map { try NodeListQuery.bool(String($0), "detail") } ?? false
        var fields = Self.defaultFields
        if query["detail"] != nil || query["fields"] != nil {
            guard version.allows(Self.registryMinor) else {
                throw IronicError.needsVersion("The \"detail\" and \"fields\" parameters of /bios", Self.registryMinor, requested: version)
            }
        }
        if let selection = query["fields"] {
            guard !detail else { throw IronicError.badRequest("Can not specify ?detail=True and fields in the same request.") }
            fields = FieldSelection.names(selection)
            let known = Set(Self.defaultFields + BIOSSetting.registryFields + ["created_at", "updated_at"])
            let unknown = fields.filter { !known.contains($0) }
            if !unknown.isEmpty { throw IronicError.badRequest("Field(s) \"\(unknown.joined(separator: ", "))\" are not valid") }
        } else if detail {
            fields = Self.defaultFields + BIOSSetting.registryFields
        }
        let aggregate = try api.lookup.node(context)
        let settings = aggregate.biosSettings.map { document($0, node: aggregate, fields: fields, request) }
        return try JSONBody(value: ["bios": .array(settings)]).response(from: request, context: context)
    }

    /// `{"<name>": {…}}`; 404 for a setting the node does not have.
    func show(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let name = try context.parameters.require("setting")
        let aggregate = try api.lookup.node(context)
        guard let setting = aggregate.biosSettings.first(where: { $0.name == name }) else {
            throw IronicError.notFound("The BIOS setting \(name) for node \(aggregate.uuid.lowercased) could not be found.")
        }
        let fields = context.apiVersion.allows(Self.registryMinor) ? Self.defaultFields + BIOSSetting.registryFields : Self.defaultFields
        return try JSONBody(value: [name: document(setting, node: aggregate, fields: fields, request)]).response(from: request, context: context)
    }

    /// One setting with `fields`, its timestamps and links.
    func document(_ setting: BIOSSetting, node: NodeAggregate, fields: [String], _ request: Request) -> JSONValue {
        let all = (try? JSONValueEncoder().encodeTree(setting)) ?? .emptyObject
        var members: [String: JSONValue] = [
            "created_at": Timestamp.json(setting.createdAt),
            "updated_at": Timestamp.json(setting.updatedAt),
            "links": ResourceLinks.pair(baseURL: api.baseURL(request), path: "nodes/\(node.uuid.lowercased)/bios/\(setting.name)"),
        ]
        for field in fields where field != "created_at" && field != "updated_at" {
            members[field] = all[field] ?? .null
        }
        return .object(members)
    }
}
