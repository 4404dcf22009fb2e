import Domain

/// A node's ComputerSystem as the BMC reports it now, addressed by its `@odata.id` (never by a
/// name, which some BMCs — sushy-emulator — answer with a redirect).
public struct RedfishSystem: Sendable {
    /// The client that read it.
    public let client: RedfishClient
    /// The resource.
    public let resource: RedfishResource

    /// The system's `@odata.id`.
    public var path: String { resource.path }
    /// The system's full URL, for messages.
    public var url: String { client.url(path) }

    /// Finds the node's system: `redfish_system_id` if set (a redirect from a name is followed
    /// and the system's own `@odata.id` kept), else the BMC's only system.
    public static func locate(_ client: RedfishClient) async throws(DriverError) -> RedfishSystem {
        if let id = client.info.systemID {
            return RedfishSystem(client: client, resource: try await client.get(id))
        }
        let root = try await client.get("/redfish/v1/")
        let collectionPath = root.link("Systems") ?? "/redfish/v1/Systems"
        let collection = try await client.get(collectionPath)
        let members = collection.members
        switch members.count {
        case 1:
            return RedfishSystem(client: client, resource: try await client.get(members[0]))
        case 0:
            throw DriverError("The Redfish BMC at \(client.url(collectionPath)) lists no systems")
        default:
            throw DriverError("The Redfish BMC at \(client.url(collectionPath)) has \(members.count) systems "
                + "(\(members.sorted().joined(separator: ", "))): set redfish_system_id to the one to manage")
        }
    }

    /// The system as the BMC reports it now.
    public func reloaded() async throws(DriverError) -> RedfishSystem {
        RedfishSystem(client: client, resource: try await client.get(path))
    }

    // MARK: Power

    /// `PowerState` as reported: `On`, `Off`, `PoweringOn`, `PoweringOff`, or `nil`.
    public var redfishPowerState: String? { resource.json["PowerState"]?.stringValue }

    /// The power state in Ironic's terms (On and PoweringOn are on, Off and PoweringOff off).
    public func powerState() throws(DriverError) -> PowerState {
        switch redfishPowerState {
        case "On", "PoweringOn": return .on
        case "Off", "PoweringOff": return .off
        case let other?: throw DriverError("The Redfish BMC reports an unknown PowerState \"\(other)\" for \(url)")
        case nil: throw DriverError("The Redfish BMC reports no PowerState for \(url)")
        }
    }

    /// Where `ComputerSystem.Reset` is posted.
    public var resetTarget: String {
        resource.actionTarget("#ComputerSystem.Reset") ?? path + "/Actions/ComputerSystem.Reset"
    }

    /// The `ResetType`s the system allows, if it says.
    public var allowedResetTypes: [String]? {
        resource.json["Actions"]?["#ComputerSystem.Reset"]?["ResetType@Redfish.AllowableValues"]?.arrayValue?.compactMap(\.stringValue)
    }

    // MARK: Boot

    /// `Boot.BootSourceOverrideTarget` (`Pxe`, `Hdd`, `Cd`, `BiosSetup`, `UefiHttp`, `None`…).
    public var bootTarget: String? { resource.json["Boot"]?["BootSourceOverrideTarget"]?.stringValue }
    /// `Boot.BootSourceOverrideEnabled` (`Once`, `Continuous`, `Disabled`).
    public var bootEnabled: String? { resource.json["Boot"]?["BootSourceOverrideEnabled"]?.stringValue }
    /// `Boot.BootSourceOverrideMode` (`UEFI`, `Legacy`).
    public var bootMode: String? { resource.json["Boot"]?["BootSourceOverrideMode"]?.stringValue }
    /// The boot override targets the system allows, if it says.
    public var allowedBootTargets: [String]? {
        resource.json["Boot"]?["BootSourceOverrideTarget@Redfish.AllowableValues"]?.arrayValue?.compactMap(\.stringValue)
    }
}
