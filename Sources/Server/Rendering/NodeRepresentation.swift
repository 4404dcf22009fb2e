import Domain
import Drivers
import Engine
import Foundation

/// A node as Ironic's API shows it at one microversion: wire names, secrets masked as `******`,
/// fields newer than the version left out, states spelled as that version spells them, and links.
struct NodeRepresentation {
    /// Where links point (`http://host:port`, no trailing slash).
    let baseURL: String
    /// The request's microversion.
    let version: MicroVersion
    /// The conductor's host name, shown as `conductor` and as `reservation` while the node is held.
    let conductorHost: String

    /// Members of `driver_internal_info` that are secret (the agent's token).
    static let internalSecrets: Set<String> = ["agent_secret_token"]

    /// The node's document: `fields` if given (plus `links`), else every field the version shows,
    /// plus the sub-resource links when `subResources` says so.
    func document(_ aggregate: NodeAggregate, fields: [String]? = nil, subResources: Bool = true) -> JSONValue {
        let values = allValues(aggregate)
        var document: [String: JSONValue] = [:]
        for name in fields ?? NodeFieldVersions.fields(at: version) {
            guard let minor = NodeFieldVersions.introduced[name], version.allows(minor) else { continue }
            document[name] = values[name] ?? .null
        }
        let uuid = aggregate.uuid.lowercased
        document["links"] = ResourceLinks.pair(baseURL: baseURL, path: "nodes/\(uuid)")
        if fields == nil, subResources {
            for (name, minor) in NodeFieldVersions.subResourceLinks where version.allows(minor) {
                document[name] = ResourceLinks.pair(baseURL: baseURL, path: "nodes/\(uuid)/\(name)")
            }
        }
        return .object(document)
    }

    /// How the version names a provision state: `available` is `null` before 1.2, and
    /// `inspect wait` is `inspecting` before 1.39.
    func displayed(_ state: ProvisionState?) -> JSONValue {
        guard let state else { return .null }
        if state == .available, !version.allows(2) { return .null }
        if state == .inspectWait, !version.allows(39) { return .string(ProvisionState.inspecting.rawValue) }
        return .string(state.rawValue)
    }

    /// Every field of the node by wire name, whatever the version.
    func allValues(_ aggregate: NodeAggregate) -> [String: JSONValue] {
        let node = aggregate.node
        var values: [String: JSONValue] = [:]
        for field in NodeField.allCases { values[field.name] = field.value(in: node) }
        values["driver_info"] = SecretFields.masking(node.driverInfo, field: .driverInfo)
        values["instance_info"] = SecretFields.masking(node.instanceInfo, field: .instanceInfo)
        var internalInfo = node.driverInternalInfo.objectValue ?? [:]
        for key in internalInfo.keys where Self.internalSecrets.contains(key) { internalInfo[key] = .string(SecretFields.mask) }
        values["driver_internal_info"] = .object(internalInfo)
        values["uuid"] = .string(node.uuid.lowercased)
        values["created_at"] = Timestamp.json(node.createdAt)
        values["updated_at"] = Timestamp.json(node.updatedAt)
        values["provision_updated_at"] = Timestamp.json(node.provisionUpdatedAt)
        values["inspection_started_at"] = Timestamp.json(node.inspectionStartedAt)
        values["inspection_finished_at"] = Timestamp.json(node.inspectionFinishedAt)
        values["power_state"] = node.powerState.map { .string($0.rawValue) } ?? .null
        values["target_power_state"] = node.targetPowerState.map { .string($0.rawValue) } ?? .null
        values["provision_state"] = displayed(node.provisionState)
        values["target_provision_state"] = displayed(node.targetProvisionState)
        values["last_error"] = node.lastError.map(JSONValue.string) ?? .null
        values["fault"] = node.fault.map(JSONValue.string) ?? .null
        values["reservation"] = NodeReservation.isBusy(node) ? .string(conductorHost) : .null
        values["conductor"] = .string(conductorHost)
        values["clean_step"] = node.cleanStep
        values["deploy_step"] = node.deployStep
        values["service_step"] = node.serviceStep
        values["raid_config"] = node.raidConfig
        values["target_raid_config"] = node.targetRAIDConfig
        values["traits"] = .array(node.traits.map(JSONValue.string))
        values["allocation_uuid"] = node.allocationUUID.map { .string($0.lowercased) } ?? .null
        values["health"] = node.health.map(JSONValue.string) ?? .null
        return values
    }
}
