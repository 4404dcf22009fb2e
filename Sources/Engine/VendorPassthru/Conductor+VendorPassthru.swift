import Domain
import Drivers
import EventStore
import Foundation

/// What a vendor passthru call answers: its return value, and whether it ran asynchronously
/// (answered 202) or synchronously (200).
public struct VendorPassthruResult: Sendable {
    /// The method's return value (`nil` for an asynchronous call, which answers nothing).
    public var value: JSONValue?
    /// Whether the method is asynchronous.
    public var isAsync: Bool
}

/// Vendor passthru (`/v1/nodes/{id}/vendor_passthru`, `/v1/drivers/{name}/vendor_passthru`),
/// as Ironic's conductor runs it: the method must be one of the vendor interface's and answer
/// the HTTP method, its arguments are validated, then it runs. Node calls are recorded
/// (`VendorPassthruCalled`, without the arguments).
extension Conductor {
    /// The node's vendor interface's methods (none for `no-vendor`).
    public func vendorPassthruMethods(_ uuid: UUID) throws -> [String: VendorPassthruMethod] {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        return try context.task(for: aggregate).driver.vendor?.methods ?? [:]
    }

    /// Calls `method` on the node with `httpMethod` and `arguments`.
    public func vendorPassthru(_ uuid: UUID, method: String, httpMethod: String, arguments: [String: JSONValue],
                               metadata: EventMetadata) async throws -> VendorPassthruResult {
        try commands.reservation.acquire(uuid)
        defer { commands.reservation.release(uuid) }
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        if NodeReservation.isBusy(aggregate.node) { throw DomainError.nodeLocked(node: uuid, holder: commands.reservation.host) }
        let task = try context.task(for: aggregate)
        guard let vendor = task.driver.vendor else { throw Self.noHandler(method) }
        let description = try Self.checked(method, httpMethod: httpMethod, arguments: arguments, in: vendor.methods, vendor)
        let value = try await vendor.call(method, httpMethod: httpMethod, arguments: arguments, task)
        try await commands.handle(.recordVendorPassthru(method: method, httpMethod: httpMethod), node: uuid, metadata: metadata, origin: .engine)
        return VendorPassthruResult(value: description.isAsync ? nil : value, isAsync: description.isAsync)
    }

    /// The driver-level methods of the hardware type's default vendor interface; 404 for a
    /// hardware type this conductor does not have.
    public func driverVendorPassthruMethods(_ driver: String) throws -> [String: VendorPassthruMethod] {
        try driverVendor(driver)?.driverMethods ?? [:]
    }

    /// Calls a driver-level `method` of the hardware type's default vendor interface.
    public func driverVendorPassthru(_ driver: String, method: String, httpMethod: String,
                                     arguments: [String: JSONValue]) async throws -> VendorPassthruResult {
        guard let vendor = try driverVendor(driver) else { throw Self.noHandler(method) }
        let description = try Self.checked(method, httpMethod: httpMethod, arguments: arguments, in: vendor.driverMethods, vendor)
        let value = try await vendor.callDriver(method, httpMethod: httpMethod, arguments: arguments)
        return VendorPassthruResult(value: description.isAsync ? nil : value, isAsync: description.isAsync)
    }

    private func driverVendor(_ driver: String) throws -> (any VendorInterface)? {
        guard drivers.hardwareTypes[driver] != nil else {
            throw DomainError.resourceNotFound(kind: "Driver", id: driver)
        }
        guard let name = drivers.defaultInterface(.vendor, for: driver) else { return nil }
        return drivers.implementation(.vendor, name) as? any VendorInterface
    }

    /// Ironic's checks, in its order: a method the interface has (400 `No handler for method`),
    /// answering this HTTP method (400), with arguments it accepts (400).
    private static func checked(_ method: String, httpMethod: String, arguments: [String: JSONValue],
                                in methods: [String: VendorPassthruMethod], _ vendor: any VendorInterface) throws -> VendorPassthruMethod {
        guard let description = methods[method] else { throw noHandler(method) }
        guard description.httpMethods.contains(httpMethod) else {
            throw DomainError.invalidParameter("The method \(method) does not support HTTP \(httpMethod)")
        }
        try vendor.validate(method, arguments: arguments)
        return description
    }

    private static func noHandler(_ method: String) -> DomainError { .invalidParameter("No handler for method \(method)") }
}
