import Foundation

/// A compact binary payload for the event kinds a fleet's log is mostly made of.
///
/// Replay speed is decoding speed, and even a fast JSON path costs microseconds per event; these
/// kinds decode from this form in a fraction of that. A binary payload starts with its kind's tag
/// (1…31), a JSON payload with `{`, so both read back through ``NodeEvent/decode(payload:)``.
/// Volume attachments, which every boot-from-volume deploy and undeploy records, have a form too.
/// Rare kinds (enrolments, resources, provision moves with arguments) stay JSON.
///
/// Layout: tag, then the fields in order. Strings are u32 length + UTF-8; an optional is a
/// presence byte then the value; integers are big-endian; JSON values are tagged (see
/// `writeJSON`), objects with their keys sorted so equal events give equal bytes.
enum NodeEventBinaryCoding {
    private enum Tag: UInt8 {
        case provisionStateChanged = 1, stepStarted, stepFinished, powerActionRequested, powerStateChanged
        case networkPhaseChanged, vifAttached, vifDetached, maintenanceSet, maintenanceCleared
        case lastErrorChanged, faultChanged, deleted, updated
        case volumeAttached, volumeDetached
        case vifNetworkBound, switchPortConfigured
    }

    /// Whether `payload` is in this binary form.
    static func isBinary(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard let first = payload.first else { return false }
        return first >= 1 && first < 32
    }

    /// The binary form of `event`, or `nil` for kinds that stay JSON.
    static func encode(_ event: NodeEvent) -> Data? {
        var out = Writer()
        switch event {
        case .provisionStateChanged(let change):
            guard change.arguments == nil else { return nil }
            out.byte(Tag.provisionStateChanged.rawValue)
            out.string(change.from.rawValue)
            out.string(change.to.rawValue)
            out.string(change.event.rawValue)
            out.optional(change.target?.rawValue)
            out.optional(change.verb?.rawValue)
            out.optional(change.error)
        case let .stepStarted(phase, step):
            out.byte(Tag.stepStarted.rawValue)
            out.string(phase.rawValue)
            out.json(step)
        case let .stepFinished(phase, step, error):
            out.byte(Tag.stepFinished.rawValue)
            out.string(phase.rawValue)
            out.json(step)
            out.optional(error)
        case let .powerActionRequested(target, timeout):
            out.byte(Tag.powerActionRequested.rawValue)
            out.string(target.rawValue)
            out.byte(timeout == nil ? 0 : 1)
            if let timeout { out.u64(UInt64(bitPattern: Int64(timeout))) }
        case let .powerStateChanged(from, to):
            out.byte(Tag.powerStateChanged.rawValue)
            out.optional(from?.rawValue)
            out.optional(to?.rawValue)
        case let .networkPhaseChanged(from, to):
            out.byte(Tag.networkPhaseChanged.rawValue)
            out.optional(from?.rawValue)
            out.optional(to?.rawValue)
        case let .vifAttached(vif, binding), let .vifDetached(vif, binding):
            if case .vifAttached = event { out.byte(Tag.vifAttached.rawValue) } else { out.byte(Tag.vifDetached.rawValue) }
            out.string(vif)
            out.binding(binding)
        case let .vifNetworkBound(vif, binding, network):
            out.byte(Tag.vifNetworkBound.rawValue)
            out.string(vif)
            out.binding(binding)
            out.string(network)
        case .switchPortConfigured(let change):
            out.byte(Tag.switchPortConfigured.rawValue)
            out.uuid(change.port)
            out.string(change.switchName)
            out.string(change.switchPort)
            out.u64(UInt64(bitPattern: Int64(change.vlan)))
            out.optional(change.network)
            out.optional(change.phase?.rawValue)
            out.string(change.reason)
        case .maintenanceSet(let reason):
            out.byte(Tag.maintenanceSet.rawValue)
            out.optional(reason)
        case .maintenanceCleared:
            out.byte(Tag.maintenanceCleared.rawValue)
        case .lastErrorChanged(let error):
            out.byte(Tag.lastErrorChanged.rawValue)
            out.optional(error)
        case .faultChanged(let fault):
            out.byte(Tag.faultChanged.rawValue)
            out.optional(fault)
        case .deleted:
            out.byte(Tag.deleted.rawValue)
        case .updated(let changes):
            out.byte(Tag.updated.rawValue)
            out.json(.object(changes))
        case .volumeAttached(let attachment):
            out.byte(Tag.volumeAttached.rawValue)
            out.attachment(attachment)
        case let .volumeDetached(attachment, reason):
            out.byte(Tag.volumeDetached.rawValue)
            out.attachment(attachment)
            out.string(reason.rawValue)
        default:
            return nil
        }
        return Data(out.bytes)
    }

    /// Why a binary payload could not be read.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Decodes a binary payload.
    static func decode(_ payload: Data) throws -> NodeEvent {
        try payload.withUnsafeBytes { try decode($0) }
    }

    /// Decodes a binary payload read in place.
    static func decode(_ raw: UnsafeRawBufferPointer) throws -> NodeEvent {
        var input = Reader(bytes: raw)
        guard let tag = Tag(rawValue: try input.byte()) else { throw Malformed(description: "unknown binary event tag") }
        func enumValue<E: RawRepresentable>(_ type: E.Type) throws -> E where E.RawValue == String {
            let raw = try input.string()
            guard let value = E(rawValue: raw) else { throw Malformed(description: "unknown \(E.self) \(raw)") }
            return value
        }
        func optionalEnum<E: RawRepresentable>(_ type: E.Type) throws -> E? where E.RawValue == String {
            guard let raw = try input.optional() else { return nil }
            guard let value = E(rawValue: raw) else { throw Malformed(description: "unknown \(E.self) \(raw)") }
            return value
        }
        let event: NodeEvent
        switch tag {
        case .provisionStateChanged:
            let from = try enumValue(ProvisionState.self), to = try enumValue(ProvisionState.self)
            let fired = try enumValue(ProvisionEvent.self)
            let target = try optionalEnum(ProvisionState.self), verb = try optionalEnum(ProvisionVerb.self)
            event = .provisionStateChanged(change: ProvisionStateChange(from: from, to: to, event: fired, target: target, verb: verb, error: try input.optional()))
        case .stepStarted:
            let phase = try enumValue(StepPhase.self)
            event = .stepStarted(phase: phase, step: try input.json(depth: 0))
        case .stepFinished:
            let phase = try enumValue(StepPhase.self)
            let step = try input.json(depth: 0)
            event = .stepFinished(phase: phase, step: step, error: try input.optional())
        case .powerActionRequested:
            let target = try enumValue(PowerTarget.self)
            let timeout = try input.byte() == 1 ? Int(Int64(bitPattern: try input.u64())) : nil
            event = .powerActionRequested(target: target, timeout: timeout)
        case .powerStateChanged:
            event = .powerStateChanged(from: try optionalEnum(PowerState.self), to: try optionalEnum(PowerState.self))
        case .networkPhaseChanged:
            event = .networkPhaseChanged(from: try optionalEnum(NetworkPhase.self), to: try optionalEnum(NetworkPhase.self))
        case .vifAttached, .vifDetached:
            let vif = try input.string()
            let binding = try input.binding()
            event = tag == .vifAttached ? .vifAttached(vif: vif, binding: binding) : .vifDetached(vif: vif, binding: binding)
        case .vifNetworkBound:
            let vif = try input.string()
            let binding = try input.binding()
            event = .vifNetworkBound(vif: vif, binding: binding, network: try input.string())
        case .switchPortConfigured:
            let port = try input.uuid()
            let switchName = try input.string(), switchPort = try input.string()
            let vlan = Int(Int64(bitPattern: try input.u64()))
            let network = try input.optional()
            let phase = try optionalEnum(NetworkPhase.self)
            event = .switchPortConfigured(change: SwitchPortChange(port: port, switchName: switchName, switchPort: switchPort, vlan: vlan,
                                                                   network: network, phase: phase, reason: try input.string()))
        case .maintenanceSet:
            event = .maintenanceSet(reason: try input.optional())
        case .maintenanceCleared:
            event = .maintenanceCleared
        case .lastErrorChanged:
            event = .lastErrorChanged(error: try input.optional())
        case .faultChanged:
            event = .faultChanged(fault: try input.optional())
        case .deleted:
            event = .deleted
        case .updated:
            guard case .object(let changes) = try input.json(depth: 0) else { throw Malformed(description: "updated without an object") }
            event = .updated(changes: changes)
        case .volumeAttached:
            event = .volumeAttached(attachment: try input.attachment())
        case .volumeDetached:
            let attachment = try input.attachment()
            event = .volumeDetached(attachment: attachment, reason: try enumValue(VolumeDetachReason.self))
        }
        guard input.atEnd else { throw Malformed(description: "trailing bytes after a binary event") }
        return event
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func byte(_ value: UInt8) { bytes.append(value) }

        mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }

        mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }

        mutating func uuid(_ value: UUID) { withUnsafeBytes(of: value.uuid) { bytes.append(contentsOf: $0) } }

        mutating func string(_ value: String) {
            var value = value
            value.withUTF8 { utf8 in
                u32(UInt32(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }

        mutating func optional(_ value: String?) {
            guard let value else { return byte(0) }
            byte(1)
            string(value)
        }

        /// Target, volume type, volume id, boot index.
        mutating func attachment(_ value: VolumeAttachment) {
            uuid(value.target)
            string(value.volumeType)
            string(value.volumeID)
            u64(UInt64(bitPattern: Int64(value.bootIndex)))
        }

        /// 0 and the port's UUID, or 1 and the port group's.
        mutating func binding(_ value: VIFBinding) {
            switch value {
            case .port(let uuid): byte(0); self.uuid(uuid)
            case .portGroup(let uuid): byte(1); self.uuid(uuid)
            }
        }

        /// `n` null, `t`/`f` booleans, `d` a number (IEEE 754 bits), `s` a string, `a` an array
        /// (count, elements), `o` an object (count, then key and value pairs in key order).
        mutating func json(_ value: JSONValue) {
            switch value {
            case .null: byte(UInt8(ascii: "n"))
            case .bool(let flag): byte(flag ? UInt8(ascii: "t") : UInt8(ascii: "f"))
            case .number(let number): byte(UInt8(ascii: "d")); u64(number.bitPattern)
            case .string(let text): byte(UInt8(ascii: "s")); string(text)
            case .array(let elements):
                byte(UInt8(ascii: "a"))
                u32(UInt32(elements.count))
                for element in elements { json(element) }
            case .object(let members):
                byte(UInt8(ascii: "o"))
                u32(UInt32(members.count))
                for key in members.keys.sorted() {
                    string(key)
                    json(members[key]!)
                }
            }
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) throws -> Int {
            guard count >= 0, count <= bytes.count - offset else { throw Malformed(description: "binary event is truncated") }
            defer { offset += count }
            return offset
        }

        mutating func byte() throws -> UInt8 { bytes[try take(1)] }

        mutating func u32() throws -> UInt32 { UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self)) }

        mutating func u64() throws -> UInt64 { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: try take(8), as: UInt64.self)) }

        mutating func uuid() throws -> UUID { UUID(uuid: bytes.loadUnaligned(fromByteOffset: try take(16), as: uuid_t.self)) }

        mutating func string() throws -> String {
            let count = Int(try u32())
            let start = try take(count)
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), as: UTF8.self)
        }

        mutating func optional() throws -> String? { try byte() == 0 ? nil : try string() }

        mutating func attachment() throws -> VolumeAttachment {
            let target = try uuid(), volumeType = try string(), volumeID = try string()
            return VolumeAttachment(target: target, volumeType: volumeType, volumeID: volumeID, bootIndex: Int(Int64(bitPattern: try u64())))
        }

        mutating func binding() throws -> VIFBinding {
            let kind = try byte()
            let resource = try self.uuid()
            return kind == 0 ? .port(resource) : .portGroup(resource)
        }

        mutating func json(depth: Int) throws -> JSONValue {
            guard depth < 512 else { throw Malformed(description: "JSON value nested too deep") }
            switch try byte() {
            case UInt8(ascii: "n"): return .null
            case UInt8(ascii: "t"): return .bool(true)
            case UInt8(ascii: "f"): return .bool(false)
            case UInt8(ascii: "d"): return .number(Double(bitPattern: try u64()))
            case UInt8(ascii: "s"): return .string(try string())
            case UInt8(ascii: "a"):
                let count = Int(try u32())
                var elements: [JSONValue] = []
                elements.reserveCapacity(min(count, 1024))
                for _ in 0..<count { elements.append(try json(depth: depth + 1)) }
                return .array(elements)
            case UInt8(ascii: "o"):
                let count = Int(try u32())
                var members: [String: JSONValue] = [:]
                members.reserveCapacity(min(count, 1024))
                for _ in 0..<count {
                    let key = try string()
                    members[key] = try json(depth: depth + 1)
                }
                return .object(members)
            default:
                throw Malformed(description: "unknown JSON tag in a binary event")
            }
        }
    }
}
