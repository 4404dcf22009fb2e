import Domain
import Foundation

/// Seals the secrets inside node events before they reach the log: BMC passwords in
/// `driver_info`, secrets in `instance_info`, volume target credentials, rescue passwords and
/// config drives — each with the node's own key, so shredding the key makes them unrecoverable.
public enum EventSealing {
    /// The sealing owner of a volume target's properties: its node and itself, so a sealed value
    /// cannot be moved from one target to another.
    public static func targetOwner(_ node: UUID, _ target: UUID) -> String {
        "\(node.lowercased)/volume_targets/\(target.lowercased)"
    }

    /// Whether any of `events` carries something that must be sealed (and so needs the node's key).
    public static func needsSealing(_ events: [NodeEvent]) -> Bool {
        events.contains { event in
            switch event {
            case .enrolled: true
            case .updated(let changes): changes["driver_info"] != nil || changes["instance_info"] != nil
            case .provisionStateChanged(let change): change.arguments?.rescuePassword != nil || change.arguments?.configdrive != nil
            case .volumeTargetCreated: true
            case .volumeTargetUpdated(_, let changes): changes["properties"] != nil
            default: false
            }
        }
    }

    /// `events` with every secret sealed for `node`.
    public static func seal(_ events: [NodeEvent], node: UUID, with sealer: SecretSealer) -> [NodeEvent] {
        let owner = node.lowercased
        func sealed(_ value: JSONValue, _ field: SecretBearingField) -> JSONValue {
            SecretFields.sealing(value, field: field, context: owner, with: sealer)
        }
        return events.map { event in
            switch event {
            case .enrolled(var enrolled):
                enrolled.driverInfo = sealed(enrolled.driverInfo, .driverInfo)
                enrolled.instanceInfo = sealed(enrolled.instanceInfo, .instanceInfo)
                return .enrolled(node: enrolled)
            case .updated(var changes):
                if let info = changes["driver_info"] { changes["driver_info"] = sealed(info, .driverInfo) }
                if let info = changes["instance_info"] { changes["instance_info"] = sealed(info, .instanceInfo) }
                return .updated(changes: changes)
            case .provisionStateChanged(var change):
                if var arguments = change.arguments {
                    if let password = arguments.rescuePassword {
                        arguments.rescuePassword = sealer.seal(password, context: "\(owner)/rescue_password")
                    }
                    if case .string(let drive)? = arguments.configdrive {
                        arguments.configdrive = .string(sealer.seal(drive, context: "\(owner)/configdrive"))
                    } else if let drive = arguments.configdrive {
                        let text = String(decoding: (try? JSONEncoder().encode(drive)) ?? Data(), as: UTF8.self)
                        arguments.configdrive = .string(sealer.seal(text, context: "\(owner)/configdrive"))
                    }
                    change.arguments = arguments
                }
                return .provisionStateChanged(change: change)
            case .volumeTargetCreated(var target):
                target.properties = SecretFields.sealing(target.properties, field: .volumeTargetProperties,
                                                         context: targetOwner(node, target.uuid), with: sealer)
                return .volumeTargetCreated(target: target)
            case let .volumeTargetUpdated(uuid, changes):
                var changes = changes
                if let properties = changes["properties"] {
                    changes["properties"] = SecretFields.sealing(properties, field: .volumeTargetProperties,
                                                                 context: targetOwner(node, uuid), with: sealer)
                }
                return .volumeTargetUpdated(uuid: uuid, changes: changes)
            default:
                return event
            }
        }
    }
}
