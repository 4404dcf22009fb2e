import Foundation

extension NodeEvent {
    /// Decodes the events a fleet's log is mostly made of straight from parsed JSON, without the
    /// `Decodable` machinery; `nil` for the kinds it does not know (enrolments, resource creation),
    /// which then go through `Decodable`. Replay speed is decoding speed, so the frequent kinds
    /// get a direct path. The layout is the synthesised `Codable` one: `{"<case>": {<labels>}}`.
    static func fastDecoded(from json: JSONValue) -> NodeEvent? {
        guard case .object(let outer) = json, outer.count == 1, let (name, body) = outer.first,
              case .object(let fields) = body else { return nil }
        func string(_ key: String) -> String? { fields[key]?.stringValue }
        switch name {
        case "provisionStateChanged":
            guard case .object(let change)? = fields["change"],
                  let from = change["from"]?.stringValue.flatMap(ProvisionState.init(rawValue:)),
                  let to = change["to"]?.stringValue.flatMap(ProvisionState.init(rawValue:)),
                  let event = change["event"]?.stringValue.flatMap(ProvisionEvent.init(rawValue:)) else { return nil }
            if change["arguments"] != nil { return nil } // rare; its nested shape goes through Decodable
            var target: ProvisionState?
            if let raw = change["target"], raw != .null {
                guard let parsed = raw.stringValue.flatMap(ProvisionState.init(rawValue:)) else { return nil }
                target = parsed
            }
            var verb: ProvisionVerb?
            if let raw = change["verb"], raw != .null {
                guard let parsed = raw.stringValue.flatMap(ProvisionVerb.init(rawValue:)) else { return nil }
                verb = parsed
            }
            return .provisionStateChanged(change: ProvisionStateChange(
                from: from, to: to, event: event, target: target, verb: verb, error: change["error"]?.stringValue
            ))
        case "stepStarted":
            guard let phase = string("phase").flatMap(StepPhase.init(rawValue:)), let step = fields["step"] else { return nil }
            return .stepStarted(phase: phase, step: step)
        case "stepFinished":
            guard let phase = string("phase").flatMap(StepPhase.init(rawValue:)), let step = fields["step"] else { return nil }
            return .stepFinished(phase: phase, step: step, error: string("error"))
        case "powerActionRequested":
            guard let target = string("target").flatMap(PowerTarget.init(rawValue:)) else { return nil }
            let timeout = fields["timeout"]?.numberValue.flatMap { Int(exactly: $0) }
            return .powerActionRequested(target: target, timeout: timeout)
        case "powerStateChanged":
            return .powerStateChanged(from: string("from").flatMap(PowerState.init(rawValue:)),
                                      to: string("to").flatMap(PowerState.init(rawValue:)))
        case "networkPhaseChanged":
            return .networkPhaseChanged(from: string("from").flatMap(NetworkPhase.init(rawValue:)),
                                        to: string("to").flatMap(NetworkPhase.init(rawValue:)))
        case "vifAttached", "vifDetached":
            guard let vif = string("vif"), let bound = binding(fields["binding"]) else { return nil }
            return name == "vifAttached" ? .vifAttached(vif: vif, binding: bound) : .vifDetached(vif: vif, binding: bound)
        case "volumeAttached", "volumeDetached":
            guard case .object(let attachment)? = fields["attachment"], let raw = attachment["target"]?.stringValue,
                  let target = UUID(canonical: raw[...]), let volumeType = attachment["volume_type"]?.stringValue,
                  let volumeID = attachment["volume_id"]?.stringValue,
                  let bootIndex = attachment["boot_index"]?.numberValue.flatMap({ Int(exactly: $0) }) else { return nil }
            let attached = VolumeAttachment(target: target, volumeType: volumeType, volumeID: volumeID, bootIndex: bootIndex)
            guard name == "volumeDetached" else { return .volumeAttached(attachment: attached) }
            guard let reason = string("reason").flatMap(VolumeDetachReason.init(rawValue:)) else { return nil }
            return .volumeDetached(attachment: attached, reason: reason)
        case "vifNetworkBound":
            guard let vif = string("vif"), let network = string("network"), let bound = binding(fields["binding"]) else { return nil }
            return .vifNetworkBound(vif: vif, binding: bound, network: network)
        case "switchPortConfigured":
            guard case .object(let change)? = fields["change"], let port = change["port"]?.stringValue.flatMap({ UUID(canonical: $0[...]) }),
                  let switchName = change["switch"]?.stringValue, let switchPort = change["switch_port"]?.stringValue,
                  let vlan = change["vlan"]?.numberValue.flatMap({ Int(exactly: $0) }), let reason = change["reason"]?.stringValue else { return nil }
            var phase: NetworkPhase?
            if let raw = change["phase"], raw != .null {
                guard let parsed = raw.stringValue.flatMap(NetworkPhase.init(rawValue:)) else { return nil }
                phase = parsed
            }
            return .switchPortConfigured(change: SwitchPortChange(port: port, switchName: switchName, switchPort: switchPort, vlan: vlan,
                                                                  network: change["network"]?.stringValue, phase: phase, reason: reason))
        case "updated":
            guard case .object(let changes)? = fields["changes"] else { return nil }
            return .updated(changes: changes)
        case "maintenanceSet":
            return .maintenanceSet(reason: string("reason"))
        case "maintenanceCleared":
            return .maintenanceCleared
        case "lastErrorChanged":
            return .lastErrorChanged(error: string("error"))
        case "faultChanged":
            return .faultChanged(fault: string("fault"))
        case "deleted":
            return .deleted
        default:
            return nil
        }
    }

    /// A ``VIFBinding`` in its synthesised layout: `{"port": {"_0": uuid}}` or `{"portGroup": …}`.
    private static func binding(_ json: JSONValue?) -> VIFBinding? {
        guard case .object(let binding)? = json, binding.count == 1, let (kind, value) = binding.first,
              let raw = value["_0"]?.stringValue, let uuid = UUID(canonical: raw[...]) else { return nil }
        switch kind {
        case "port": return .port(uuid)
        case "portGroup": return .portGroup(uuid)
        default: return nil
        }
    }
}
