import Domain
import Foundation
import Hummingbird

/// `POST /v1/events` (1.54; 404 before): Neutron's network events about ports,
/// `{"events": [{"event": "network.bind_port"|"network.unbind_port"|"network.delete_port",
/// "port_id", "mac_address", "status", "device_id"?, "binding:host_id"?, "binding:vnic_type"?}]}`.
///
/// Each event is recorded on the node owning a port with its MAC (`NetworkEventReceived`); one
/// for a MAC no port has is ignored, as Ironic only logs it. The whole body is checked before
/// anything is recorded: a malformed event is 400 and records nothing. `GET /v1/events` is
/// Ironlog's log extension (``EventRoutes``).
struct NetworkEventRoutes {
    let api: NodeAPI

    /// The microversion that adds `POST /v1/events`.
    static let minor = 54

    /// The members an event may carry; the first four are required.
    static let required = ["event", "port_id", "mac_address", "status"]
    static let optional = ["device_id", "binding:host_id", "binding:vnic_type"]

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/events", .post) { request, context in try await post(request, context) }
    }

    /// Records each event: 200, no body.
    func post(_ request: Request, _ context: IronlogRequestContext) async throws -> Response {
        try NodeAPI.requireEndpoint(Self.minor, context)
        try NodeAPI.refuseUnknownQuery(request)
        let body = try await RequestBody.object(request, context: context)
        try RequestBody.refuseUnknown(body, allowed: ["events"])
        guard case .array(let items)? = body["events"] else { throw DomainError.missingParameter("events") }
        let events = try items.map(Self.event)
        for event in events {
            if try await api.conductor.recordNetworkEvent(event, metadata: context.eventMetadata) == nil {
                context.logger.info("Network event \(event.event.rawValue) for port \(event.portID): no node has a port with MAC \(event.macAddress)")
            }
        }
        return Response(status: .ok)
    }

    /// One event, checked as Ironic's schema checks it.
    static func event(_ item: JSONValue) throws -> NetworkEvent {
        guard case .object(let members) = item else { throw IronicError.badRequest("Each event must be a JSON object.") }
        try RequestBody.refuseUnknown(members, allowed: Set(required + optional))
        for name in required {
            guard case .string? = members[name] else { throw IronicError.badRequest("Each event needs \(name), a string.") }
        }
        for name in optional {
            switch members[name] {
            case nil, .null?, .string?: break
            default: throw IronicError.badRequest("Invalid \(name): it must be a string or null.")
            }
        }
        let name = members["event"]!.stringValue!
        guard let kind = NetworkEvent.Kind(rawValue: name) else {
            throw IronicError.badRequest("Invalid event \(name); valid network events are: "
                + NetworkEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let portID = members["port_id"]!.stringValue!
        guard Identifier.uuidLike(portID) != nil else { throw IronicError.badRequest("Invalid port_id \(portID): it must be a UUID.") }
        let macText = members["mac_address"]!.stringValue!
        guard let mac = try? MACAddress(macText) else { throw IronicError.badRequest("Invalid mac_address \(macText): it must be a MAC address.") }
        let deviceID = members["device_id"]?.stringValue
        if let deviceID, Identifier.uuidLike(deviceID) == nil {
            throw IronicError.badRequest("Invalid device_id \(deviceID): it must be a UUID.")
        }
        return NetworkEvent(event: kind, portID: portID, macAddress: mac.description, status: members["status"]!.stringValue!,
                            deviceID: deviceID, bindingHostID: members["binding:host_id"]?.stringValue,
                            bindingVNICType: members["binding:vnic_type"]?.stringValue)
    }
}
