import Domain
import Hummingbird

/// `POST` and `DELETE /v1/nodes/{id}/vmedia` (1.89; 404 before): attach an image as virtual
/// media, or detach it, through the node's management interface; each is recorded
/// (`VirtualMediaAttached`, `VirtualMediaDetached`).
struct NodeVirtualMediaRoutes {
    let api: NodeAPI

    /// The microversion that adds `/vmedia`.
    static let minor = 89

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/vmedia", .post) { request, context in try await attach(request, context) }
        table.on("/nodes/:node_ident/vmedia", .delete) { request, context in try await detach(request, context) }
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
