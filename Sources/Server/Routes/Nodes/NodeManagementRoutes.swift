import Domain
import Hummingbird

/// `GET`/`PUT /v1/nodes/{id}/management/boot_device` and `GET …/boot_device/supported`, through
/// the conductor (they talk to the BMC).
struct NodeManagementRoutes {
    let api: NodeAPI

    /// Adds the routes.
    func register(on table: RouteTable) {
        table.on("/nodes/:node_ident/management/boot_device", .get) { request, context in try await bootDevice(request, context) }
        table.on("/nodes/:node_ident/management/boot_device", .put) { request, context in try await setBootDevice(request, context) }
        table.on("/nodes/:node_ident/management/boot_device/supported", .get) { request, context in
            try await supported(request, context)
        }
    }

    /// `{"boot_device": …, "persistent": …}` as the BMC reports them.
    func bootDevice(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let (device, persistent) = try await api.conductor.bootDevice(aggregate.uuid)
        let document: JSONValue = [
            "boot_device": device.map { .string($0.rawValue) } ?? .null,
            "persistent": persistent.map(JSONValue.bool) ?? .null,
        ]
        return try JSONBody(value: document).response(from: request, context: context)
    }

    /// Sets the boot device on the BMC, then records it: 204.
    func setBootDevice(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["boot_device", "persistent"])
        guard let name = try RequestBody.string(body, "boot_device", nullable: false) else { throw DomainError.missingParameter("boot_device") }
        guard let device = BootDevice(rawValue: name) else {
            throw IronicError.badRequest("Invalid boot device \(name), valid boot devices are: "
                + BootDevice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let persistent = try RequestBody.bool(body, "persistent") ?? false
        let aggregate = try api.lookup.node(context)
        try await api.conductor.setBootDevice(aggregate.uuid, device, persistent: persistent, metadata: context.eventMetadata)
        return EmptyResponse.noContent
    }

    /// `{"supported_boot_devices": […]}`.
    func supported(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.refuseUnknownQuery(request)
        let aggregate = try api.lookup.node(context)
        let devices = try api.conductor.supportedBootDevices(aggregate.uuid)
        return try JSONBody(value: ["supported_boot_devices": .array(devices.map { .string($0.rawValue) })])
            .response(from: request, context: context)
    }
}
