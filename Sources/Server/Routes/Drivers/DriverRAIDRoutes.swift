import Domain
import Drivers
import Hummingbird

/// `GET /v1/drivers/{driver_name}/raid/logical_disk_properties` (1.12; 406 before, as Ironic's
/// `NotAcceptable`): the properties a logical disk may have, with their descriptions, from the
/// hardware type's default RAID interface. An unknown driver is 404.
struct DriverRAIDRoutes {
    let api: NodeAPI

    /// The microversion that adds RAID configuration.
    static let minor = 12

    /// Adds the route.
    func register(on table: RouteTable) {
        table.on("/drivers/:driver_name/raid/logical_disk_properties", .get) { request, context in
            guard context.apiVersion.allows(Self.minor) else {
                throw IronicError.needsVersion("RAID logical disk properties", Self.minor, requested: context.apiVersion)
            }
            try NodeAPI.refuseUnknownQuery(request)
            let type = try DriverRoutes(api: api).type(context)
            let registry = api.conductor.drivers
            guard let name = registry.defaultInterface(.raid, for: type.name),
                  let raid = registry.implementation(.raid, name) as? any RAIDInterface else {
                throw IronicError.notFound("Driver \(type.name) does not support raid (disabled or not implemented).")
            }
            return try JSONBody(value: .object(raid.logicalDiskProperties.mapValues(JSONValue.string))).response(from: request, context: context)
        }
    }
}
