import Domain
import Foundation

/// A node's `chassis_uuid` must name a chassis that exists (400 otherwise, Ironic's
/// `ChassisNotFound` answered as a client error on a node request); unsetting it takes 1.25
/// (406 before, Ironic's `NotAcceptable`).
enum NodeChassis {
    /// The microversion from which `chassis_uuid` may be unset.
    static let unsetMinor = 25

    /// Checks a create body's (or patch operation's) `chassis_uuid` value.
    static func check(_ value: JSONValue?, api: NodeAPI) throws {
        guard case .string(let text)? = value else { return }
        guard let uuid = Identifier.uuidLike(text) else { throw IronicError.badRequest("Invalid UUID for chassis_uuid: \(text)") }
        guard try api.conductor.chassis.chassis(uuid) != nil else {
            throw IronicError.badRequest("Chassis \(text) could not be found.")
        }
    }

    /// Checks each operation of a node JSON Patch on `/chassis_uuid`, for a node now in `chassis`.
    static func check(patch: JSONValue, current chassis: UUID?, api: NodeAPI, version: MicroVersion) throws {
        guard case .array(let operations) = patch else { return }
        for case .object(let members) in operations where members["path"] == .string("/chassis_uuid") {
            let unsets = members["op"] == .string("remove") || members["value"] == .null
            if unsets {
                if chassis != nil, !version.allows(unsetMinor) {
                    throw IronicError.needsVersion("Removing \"chassis_uuid\"", unsetMinor, requested: version)
                }
            } else {
                try check(members["value"], api: api)
            }
        }
    }
}
