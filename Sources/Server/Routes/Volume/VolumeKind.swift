import Domain
import Foundation

/// What the volume routes need to know of one kind of volume resource — connectors or targets —
/// so one set of routes serves both: names, fields with their versions, how to read them from a
/// node, how to show one, and the commands that change them.
struct VolumeKind: Sendable {
    /// The path segment and list key: `connectors` or `targets`.
    let collection: String
    /// The name in messages and in 404s (`Volume connector`).
    let title: String
    /// Every field by wire name (all from 1.32).
    let fields: [String]
    /// What a list shows without `detail` or `fields` (plus `links`).
    let listDefault: [String]
    /// Fields that can not be sorted on.
    let structured: Set<String>
    /// The node's resources of this kind, by UUID, each with its wire values.
    let resources: @Sendable (NodeAggregate) -> [UUID: (createdAt: Int64, values: [String: JSONValue])]
    /// The command creating one.
    let create: @Sendable (UUID, [String: JSONValue]) -> NodeCommand
    /// The command patching one.
    let update: @Sendable (UUID, JSONValue) -> NodeCommand
    /// The command deleting one.
    let delete: @Sendable (UUID) -> NodeCommand

    /// Fields a client may not write.
    static let readOnly: Set<String> = ["uuid", "created_at", "updated_at"]

    /// Each field with its version (1.32), for list queries and patch checks.
    var introduced: [String: Int] { Dictionary(uniqueKeysWithValues: fields.map { ($0, 32) }) }

    /// The list query's view of the kind: `detail` from 1.32, as Ironic's volume API had it from the start.
    var listed: ListedResource { ListedResource(fields: introduced, structured: structured, filters: ["node": 32], detailSince: 32) }

    /// Volume connectors: the node's initiators.
    static let connectors = VolumeKind(
        collection: "connectors", title: "Volume connector",
        fields: ["uuid", "node_uuid", "type", "connector_id", "extra", "created_at", "updated_at"],
        listDefault: ["uuid", "node_uuid", "type", "connector_id"], structured: ["extra"],
        resources: { aggregate in
            aggregate.volumeConnectors.mapValues { connector in
                (connector.createdAt, [
                    "uuid": .string(connector.uuid.lowercased), "node_uuid": .string(connector.nodeUUID.lowercased),
                    "type": .string(connector.type), "connector_id": .string(connector.connectorID), "extra": connector.extra,
                    "created_at": Timestamp.json(connector.createdAt), "updated_at": Timestamp.json(connector.updatedAt),
                ])
            }
        },
        create: { .createVolumeConnector(uuid: $0, fields: $1) }, update: { .updateVolumeConnector(uuid: $0, patch: $1) },
        delete: { .deleteVolumeConnector(uuid: $0) }
    )

    /// Volume targets: the remote volumes, their connection properties' secrets masked.
    static let targets = VolumeKind(
        collection: "targets", title: "Volume target",
        fields: ["uuid", "node_uuid", "volume_type", "boot_index", "volume_id", "properties", "extra", "created_at", "updated_at"],
        listDefault: ["uuid", "node_uuid", "volume_type", "boot_index", "volume_id"], structured: ["extra", "properties"],
        resources: { aggregate in
            aggregate.volumeTargets.mapValues { target in
                (target.createdAt, [
                    "uuid": .string(target.uuid.lowercased), "node_uuid": .string(target.nodeUUID.lowercased),
                    "volume_type": .string(target.volumeType), "boot_index": .number(Double(target.bootIndex)),
                    "volume_id": .string(target.volumeID),
                    "properties": SecretFields.masking(target.properties, field: .volumeTargetProperties), "extra": target.extra,
                    "created_at": Timestamp.json(target.createdAt), "updated_at": Timestamp.json(target.updatedAt),
                ])
            }
        },
        create: { .createVolumeTarget(uuid: $0, fields: $1) }, update: { .updateVolumeTarget(uuid: $0, patch: $1) },
        delete: { .deleteVolumeTarget(uuid: $0) }
    )
}
