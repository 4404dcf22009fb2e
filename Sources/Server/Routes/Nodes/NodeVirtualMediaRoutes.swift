import Domain
import Hummingbird

/// `POST` and `DELETE /v1/nodes/{id}/vmedia` (1.89; 404 before): attach an image as virtual
/// media, or detach it, through the node's management interface; each is recorded
/// (`VirtualMediaAttached`, `VirtualMediaDetached`). `GET` (1.93; 404 before) lists what is
/// attached, as recorded.
struct NodeVirtualMediaRoutes {
    let api: NodeAPI

    /// The microversion that adds `/vmedia`.
    static let minor = 89
    /// The microversion that adds `GET /vmedia`.
    static let listMinor = 93

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/vmedia", .post) { request, context in try await attach(request, context) }
        table.on("/nodes/:node_ident/vmedia", .delete) { request, context in try await detach(request, context) }
        table.on("/nodes/:node_ident/vmedia", .get) { request, context in try list(request, context) }
    }

    /// `{"vmedia": [{"device_type", "image_url", "image_download_source"}, …]}`: the media attached,
    /// one per device type, as the node's log recorded them (Ironic's API reference gives no body
    /// for this answer; these are the attach request's own members).
    func list(_ request: Request, _ context: IronlogRequestContext) throws -> Response {
        try NodeAPI.requireEndpoint(Self.listMinor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let media: [JSONValue] = aggregate.virtualMedia.map { medium in
            [
                "device_type": .string(medium.deviceType.rawValue),
                "image_url": .string(medium.imageURL),
                "image_download_source": .string(medium.imageDownloadSource.rawValue),
            ]
        }
        return try JSONBody(value: ["vmedia": .array(media)]).response(from: request, context: context)
    }

    /// `{"device_type": "cdrom"|"disk"|"floppy", "image_url": …, "image_download_source"?:
    /// "http"|"local"|"swift"}`: 204.
    func attach(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["device_type", "image_url", "image_download_source"])
        guard let type = try RequestBody.string(body, "device_type", nullable: false) else { throw DomainError.missingParameter("device_type") }
        guard let device = VirtualMediaDevice(rawValue: type) else { throw Self.invalidDevice(type) }
        guard let url = try RequestBody.string(body, "image_url", nullable: false), !url.isEmpty else {
            throw DomainError.missingParameter("image_url")
        }
        var source = ImageDownloadSource.http
        if let name = try RequestBody.string(body, "image_download_source", nullable: false) {
            guard let parsed = ImageDownloadSource(rawValue: name) else {
                throw IronicError.badRequest("Invalid image_download_source \(name); valid sources are: "
                    + ImageDownloadSource.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            source = parsed
        }
        let aggregate = try api.lookup.node(context)
        let media = VirtualMedia(deviceType: device, imageURL: url, imageDownloadSource: source)
        try await api.conductor.attachVirtualMedia(aggregate.uuid, media, metadata: context.eventMetadata)
        return EmptyResponse.noContent
    }

    /// Detaches the media of `?device_types=cdrom,disk` (every type without it): 204.
    func detach(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request, allowed: ["device_types"])
        var types: [VirtualMediaDevice]?
        if let list = request.uri.queryParameters["device_types"] {
            types = try list.split(separator: ",").map { name throws(IronicError) -> VirtualMediaDevice in
                guard let device = VirtualMediaDevice(rawValue: String(name)) else { throw Self.invalidDevice(String(name)) }
                return device
            }
        }
        let aggregate = try api.lookup.node(context)
        try await api.conductor.detachVirtualMedia(aggregate.uuid, types, metadata: context.eventMetadata)
        return EmptyResponse.noContent
    }

    static func invalidDevice(_ name: String) -> IronicError {
        .badRequest("Invalid device type \(name); valid device types are: "
            + VirtualMediaDevice.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
}
