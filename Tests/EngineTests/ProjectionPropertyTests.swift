import Domain
import Engine
import EventStore
import Foundation
import Projections
import Testing

// Lives in EngineTests (not ProjectionsTests) because it drives the projections through the
// engine's command handler: sealing, uniqueness checks and retries exactly as the server does.

/// Conveniences on the store's seedable generator, so a failing seed replays the same commands.
extension SplitMix64 {
    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func pick<Element>(_ elements: [Element]) -> Element? { elements.randomElement(using: &self) }

    /// A version-4 UUID made of the generator's bits (so a seed gives the same UUIDs every run).
    mutating func uuid() -> UUID {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &self) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}


/// Writes random but plausible command sequences over a small fleet: mostly commands the node's
/// state allows (valid provision moves are taken from ``ProvisionStateMachine/transitions``),
/// with enough collisions (names, MACs, connector ids, boot indexes) and wrong-state requests to
/// be refused regularly.
struct RandomFleetScript {
    var rng: SplitMix64
    /// Every UUID an enrolment was attempted for, in order.
    private(set) var nodes: [UUID] = []
    let fleetSize: Int
    let maxEnrolments: Int

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
        fleetSize = 8 + rng.int(0..<5)
        maxEnrolments = fleetSize + 6
    }

    static let names = (0..<14).map { "node-\($0)" }
    static let macs = (0..<40).map { String(format: "52:54:00:00:%02x:%02x", $0 / 7, $0 % 7) }
    static let traits = ["CUSTOM_GPU", "CUSTOM_RAID", "CUSTOM_FAST", "HW_CPU_X86_AVX2"]

    /// Strings and numbers that JSON encoders and parsers are known to get wrong.
    static let awkwardStrings = ["", "quote \" inside", "back\\slash", "a/b/c", "tab\tnew\nline", "\u{01}control", "héllo wörld", "🚀 rocket", "\u{2028}", "null", "1e3", "ironlog"]
    static let awkwardNumbers: [Double] = [0.1, -1e-7, 1e20, 123_456_789.125, 9_007_199_254_740_993, -0.0, 1e15, 4.9e-324, 1.7976931348623157e308]

    /// A JSON value of the kinds node fields hold: numbers (integral, fractional, huge, tiny),
    /// strings (with escapes and non-ASCII), booleans, null and nesting.
    mutating func value(depth: Int = 0) -> JSONValue {
        switch rng.int(0..<(depth > 1 ? 6 : 8)) {
        case 0: return .number(Double(rng.int(-50..<1000)))
        case 1: return .number(rng.chance(0.5) ? Double(rng.int(-400..<400)) / 8 : rng.pick(Self.awkwardNumbers)!)
        case 2: return .string(rng.chance(0.6) ? "v\(rng.int(0..<100))" : rng.pick(Self.awkwardStrings)!)
        case 3: return .bool(rng.chance(0.5))
        case 4: return .null
        case 5: return .string(rng.pick(Self.awkwardStrings)!)
        case 6: return .array((0..<rng.int(0..<3)).map { _ in value(depth: depth + 1) })
        default:
            return .object(Dictionary(uniqueKeysWithValues: (0..<rng.int(0..<3)).map { index in
                (rng.chance(0.8) ? "k\(index)" : "\(rng.pick(Self.awkwardStrings)!)\(index)", value(depth: depth + 1))
            }))
        }
    }

    mutating func mac() -> String {
        let mac = rng.pick(Self.macs)!
        switch rng.int(0..<4) {
        case 0: return mac.uppercased()
        case 1: return mac.replacingOccurrences(of: ":", with: "-")
        default: return mac
        }
    }

    func patch(_ operations: [(String, String, JSONValue?)]) -> JSONValue {
        .array(operations.map { op, path, value in
            var members: [String: JSONValue] = ["op": .string(op), "path": .string(path)]
            if let value { members["value"] = value }
            return .object(members)
        })
    }

    /// The next command and the node it is for; reads the node's current state from `live`.
    mutating func next(_ live: LiveEngineFixture) throws -> (node: UUID, command: NodeCommand) {
        let existing = try nodes.filter { try live.handler.aggregate($0) != nil }
        if nodes.count < maxEnrolments, existing.count < fleetSize, nodes.isEmpty || rng.chance(0.35) {
            let uuid = rng.uuid()
            nodes.append(uuid)
            var fields: [String: JSONValue] = ["driver": .string(rng.chance(0.8) ? "ipmi" : "redfish")]
            if rng.chance(0.85) { fields["name"] = .string(rng.pick(Self.names)!) }
            if rng.chance(0.6) { fields["extra"] = ["rack": .string("r\(rng.int(0..<4))"), "slot": .number(Double(rng.int(0..<40)))] }
            if rng.chance(0.7) {
                fields["driver_info"] = ["ipmi_address": .string("10.0.0.\(rng.int(1..<255))"), "ipmi_username": "admin",
                                         "ipmi_password": .string("pw-\(rng.int(0..<1000))")]
            }
            if rng.chance(0.3) { fields["properties"] = ["cpus": .number(Double(rng.int(1..<128))), "memory_mb": 65536] }
            if rng.chance(0.1) { fields["name"] = "detail" } // a reserved word: refused
            return (uuid, .enroll(uuid: uuid, fields: fields))
        }
        // Mostly nodes that exist; now and then a deleted or never-created one.
        let node = (rng.chance(0.93) ? rng.pick(existing) : nil) ?? rng.pick(nodes) ?? rng.uuid()
        let aggregate = try live.handler.aggregate(node)
        let ports = aggregate.map { $0.ports.values.sorted { $0.uuid.uuidString < $1.uuid.uuidString } } ?? []
        let groups = aggregate.map { $0.portGroups.values.sorted { $0.uuid.uuidString < $1.uuid.uuidString } } ?? []
        let connectors = aggregate.map { $0.volumeConnectors.keys.sorted { $0.uuidString < $1.uuidString } } ?? []
        let targets = aggregate.map { $0.volumeTargets.keys.sorted { $0.uuidString < $1.uuidString } } ?? []
        let state = aggregate?.node.provisionState ?? .enroll

        switch rng.int(0..<100) {
        case 0..<6:
            return (node, .update(patch: patch([("add", "/extra/k\(rng.int(0..<5))", value())])))
        case 6..<8:
            return (node, .update(patch: patch([("remove", "/extra/k\(rng.int(0..<5))", nil)]))) // may not exist: refused
        case 8..<11:
            let info: JSONValue = ["ipmi_address": .string("10.1.0.\(rng.int(1..<255))"), "ipmi_password": .string("rotated-\(rng.int(0..<1000))")]
            return (node, .update(patch: rng.chance(0.5)
                ? patch([("replace", "/driver_info", info)])
                : patch([("add", "/driver_info/ipmi_port", .number(Double(rng.int(600..<700))))])))
        case 11..<14:
            return (node, .update(patch: rng.chance(0.8)
                ? patch([("replace", "/name", .string(rng.pick(Self.names)!))])
                : patch([("remove", "/name", nil)])))
        case 14..<16:
            return (node, .update(patch: patch([("replace", "/maintenance", .bool(rng.chance(0.5))), ("replace", "/maintenance_reason", "patched")])))
        case 16..<36:
            let moves = ProvisionStateMachine.transitions.filter { $0.from == state }
            let event: ProvisionEvent
            let trigger: ProvisionStateMachine.Trigger
            if let move = rng.pick(moves), rng.chance(0.92) {
                (event, trigger) = (move.event, move.trigger)
            } else {
                event = rng.pick(ProvisionEvent.allCases)!
                trigger = ProvisionEvent.internalOnly.contains(event) ? .internal : .api
            }
            if trigger == .internal {
                return (node, .advance(event: event, error: event == .fail ? "failed at step \(rng.int(0..<9))" : nil))
            }
            return (node, provision(event))
        case 36..<42:
            return (node, .requestPower(target: rng.pick(PowerTarget.allCases)!, timeout: rng.chance(0.2) ? rng.int(1..<120) : nil))
        case 42..<48:
            let reported: PowerState? = rng.chance(0.15) ? nil : rng.pick(PowerState.allCases)
            return (node, .recordPowerState(reported))
        case 48..<52:
            return (node, .setMaintenance(reason: rng.chance(0.7) ? "reason \(rng.int(0..<5))" : nil, fault: rng.chance(0.3) ? "power failure" : nil))
        case 52..<55:
            return (node, .clearMaintenance)
        case 55..<59:
            switch rng.int(0..<4) {
            case 0: return (node, .setTraits(Self.traits.filter { _ in rng.chance(0.5) }))
            case 1: return (node, .addTrait(rng.pick(Self.traits)!))
            case 2: return (node, .removeTrait(rng.pick(aggregate?.node.traits ?? []) ?? "CUSTOM_ABSENT"))
            default: return (node, .removeTrait(nil))
            }
        case 59..<67:
            var fields: [String: JSONValue] = ["address": .string(mac())]
            if rng.chance(0.3), let group = rng.pick(groups) { fields["portgroup_uuid"] = .string(group.uuid.lowercased) }
            if rng.chance(0.3) { fields["pxe_enabled"] = .bool(rng.chance(0.5)) }
            if rng.chance(0.2) { fields["physical_network"] = .string("physnet\(rng.int(1..<3))") }
            if rng.chance(0.3) { fields["name"] = .string("port-\(rng.int(0..<12))") }
            if rng.chance(0.2) { fields["local_link_connection"] = ["switch_id": "0a:1b:2c:3d:4e:5f", "port_id": .string("Eth1/\(rng.int(1..<48))")] }
            return (node, .createPort(uuid: rng.uuid(), fields: fields))
        case 67..<71:
            let port = rng.pick(ports)?.uuid ?? rng.uuid()
            switch rng.int(0..<3) {
            case 0: return (node, .updatePort(uuid: port, patch: patch([("replace", "/address", .string(mac()))])))
            case 1: return (node, .updatePort(uuid: port, patch: patch([("add", "/extra/note", value())])))
            default: return (node, .updatePort(uuid: port, patch: patch([("replace", "/pxe_enabled", .bool(rng.chance(0.5)))])))
            }
        case 71..<74:
            return (node, .deletePort(uuid: rng.pick(ports)?.uuid ?? rng.uuid()))
        case 74..<77:
            var fields: [String: JSONValue] = [:]
            if rng.chance(0.6) { fields["address"] = .string(mac()) }
            if rng.chance(0.5) { fields["name"] = .string("bond-\(rng.int(0..<6))") }
            if rng.chance(0.3) { fields["standalone_ports_supported"] = .bool(rng.chance(0.5)) }
            if rng.chance(0.3) { fields["mode"] = "802.3ad" }
            return (node, .createPortGroup(uuid: rng.uuid(), fields: fields))
        case 77..<79:
            let group = rng.pick(groups)?.uuid ?? rng.uuid()
            return rng.chance(0.5)
                ? (node, .deletePortGroup(uuid: group))
                : (node, .updatePortGroup(uuid: group, patch: patch([("replace", "/extra", ["tag": value()])])))
        case 79..<82:
            var fields: [String: JSONValue] = ["type": rng.chance(0.7) ? "iqn" : "ip", "connector_id": .string("iqn.2024-01.io.ironlog:\(rng.int(0..<10))")]
            if rng.chance(0.85) { fields["extra"] = rng.chance(0.5) ? [:] : ["rack": value()] }
            return (node, .createVolumeConnector(uuid: rng.uuid(), fields: fields))
        case 82..<84:
            let connector = rng.pick(connectors) ?? rng.uuid()
            return rng.chance(0.5)
                ? (node, .deleteVolumeConnector(uuid: connector))
                : (node, .updateVolumeConnector(uuid: connector, patch: patch([("add", "/extra/seen", value())])))
        case 84..<87:
            var fields: [String: JSONValue] = [
                "volume_type": "iscsi", "boot_index": .number(Double(rng.int(0..<3))), "volume_id": .string("vol-\(rng.int(0..<1000))"),
                "properties": ["auth_username": "chap", "auth_password": .string("chap-\(rng.int(0..<1000))")],
            ]
            if rng.chance(0.85) { fields["extra"] = rng.chance(0.5) ? [:] : ["tier": value()] }
            return (node, .createVolumeTarget(uuid: rng.uuid(), fields: fields))
        case 87..<89:
            let target = rng.pick(targets) ?? rng.uuid()
            switch rng.int(0..<3) {
            case 0: return (node, .deleteVolumeTarget(uuid: target))
            case 1: return (node, .updateVolumeTarget(uuid: target, patch: patch([("replace", "/properties", ["auth_password": .string("new-\(rng.int(0..<99))")])])))
            default: return (node, rng.chance(0.5) ? .attachVolumes([target]) : .detachVolumes([target], reason: .undeploy))
            }
        case 89..<93:
            var port: UUID?
            var group: UUID?
            if rng.chance(0.3) { port = rng.pick(ports)?.uuid } else if rng.chance(0.2) { group = rng.pick(groups)?.uuid }
            let networks: Set<String> = rng.chance(0.3) ? ["physnet1"] : []
            let network: String? = rng.chance(0.4) ? "net-\(rng.int(0..<3))" : nil
            return (node, .attachVIF(vif: "vif-\(rng.int(0..<15))", port: port, portGroup: group, physicalNetworks: networks, network: network))
        case 93..<95:
            let attached = aggregate?.attachedVIFs ?? []
            return (node, .detachVIF(vif: rng.pick(attached) ?? "vif-\(rng.int(0..<15))"))
        case 95:
            switch rng.int(0..<3) {
            case 0: return (node, .changeNetworkPhase(rng.pick(NetworkPhase.allCases)))
            case 1: return (node, .setBootDevice(rng.pick(BootDevice.allCases)!, persistent: rng.chance(0.5)))
            default:
                let parked = rng.chance(0.4)
                return (node, .recordSwitchPort(SwitchPortChange(
                    port: rng.pick(ports)?.uuid ?? rng.uuid(), switchName: "sw-\(rng.int(0..<2))", switchPort: "p\(rng.int(0..<4))",
                    vlan: parked ? SwitchPortChange.parkingVLAN : rng.int(1..<4095), network: parked ? nil : "net-\(rng.int(0..<3))",
                    phase: parked ? nil : rng.pick(NetworkPhase.allCases), reason: "move \(rng.int(0..<5))")))
            }
        case 96:
            if [.inspecting, .inspectWait].contains(state) || rng.chance(0.3) {
                return (node, .recordInspection(inventory: ["cpu": ["count": .number(Double(rng.int(1..<64)))], "disks": value(depth: 1)],
                                                properties: ["cpus": .number(Double(rng.int(1..<64))), "local_gb": .number(Double(rng.int(10..<900)))]))
            }
            return (node, .setLastError(rng.chance(0.5) ? "error \(rng.int(0..<5))" : nil))
        default:
            return (node, .delete)
        }
    }

    /// The API request for a user-triggered `event`, with the arguments its verb needs.
    private mutating func provision(_ event: ProvisionEvent) -> NodeCommand {
        var arguments = ProvisionArguments()
        let verb: ProvisionVerb
        switch event {
        case .manage: verb = .manage
        case .provide: verb = .provide
        case .inspect: verb = .inspect
        case .clean:
            verb = .clean
            arguments.cleanSteps = [["interface": "deploy", "step": "erase_devices"]]
        case .adopt: verb = .adopt
        case .deploy:
            verb = rng.chance(0.5) ? .deploy : .active
            if rng.chance(0.3) { arguments.configdrive = .string("configdrive-\(rng.int(0..<100))") }
        case .rebuild: verb = .rebuild
        case .delete: verb = rng.chance(0.5) ? .deleted : .undeploy
        case .abort: verb = .abort
        case .rescue:
            verb = .rescue
            arguments.rescuePassword = "rescue-\(rng.int(0..<100))"
        case .unrescue: verb = .unrescue
        case .unhold: verb = .unhold
        case .service:
            verb = .service
            arguments.serviceSteps = [["interface": "deploy", "step": "write_image"]]
        case .done, .fail, .wait, .resume, .hold:
            verb = .manage // an internal event has no verb: ask for something the state may refuse
        }
        return .provision(verb: verb, arguments: arguments)
    }
}

/// Where two aggregates first differ, as lines of their sorted JSON.
func aggregateDifference(_ expected: NodeAggregate?, _ actual: NodeAggregate?) -> String {
    func lines(_ aggregate: NodeAggregate?) -> [String] {
        guard let aggregate else { return ["nil"] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = (try? encoder.encode(aggregate)) ?? Data()
        return String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
    }
    let left = lines(expected), right = lines(actual)
    for index in 0..<max(left.count, right.count) {
        let l = index < left.count ? left[index] : "<end>", r = index < right.count ? right[index] : "<end>"
        if l != r { return "line \(index): expected \(l.trimmingCharacters(in: .whitespaces)) | actual \(r.trimmingCharacters(in: .whitespaces)) (\(expected == actual ? "JSON differs only" : "values differ"))" }
    }
    return expected == actual ? "equal" : "same JSON, different values (a value that does not survive encoding)"
}

@Suite("Projections are a pure function of the log")
struct ProjectionPropertyTests {
    /// One step of a run: the head after the command, and every node the projection held then.
    struct Observation {
        let step: Int
        let command: String
        let head: UInt64
        let fleet: [UUID: NodeAggregate]
    }

    /// Runs `steps` random commands; returns what the projection showed after each.
    static func run(seed: UInt64, steps: Int, on live: LiveEngineFixture) async throws -> (observations: [Observation], script: RandomFleetScript, accepted: Int, refused: Int) {
        var script = RandomFleetScript(seed: seed)
        var observations: [Observation] = []
        var accepted = 0, refused = 0
        let actors = ["admin", "operator", "reactor:power", "reactor:provision"]
        for step in 0..<steps {
            let (node, command) = try script.next(live)
            let metadata = requestMetadata(actor: script.rng.pick(actors)!, project: "p\(script.rng.int(0..<3))", requestID: "req-\(seed)-\(step)")
            do {
                // The script plays the API and the engine both: its commands skip the reservation.
                try await live.handler.handle(command, node: node, metadata: metadata, origin: .engine)
                accepted += 1
            } catch is DomainError {
                refused += 1
            } catch {
                Issue.record("seed \(seed) step \(step): \(command) on \(node.lowercased) failed with a non-domain error: \(error)")
                refused += 1
            }
            observations.append(Observation(step: step, command: "\(command)", head: try live.store.currentHead().position, fleet: try live.projectedFleet()))
        }
        return (observations, script, accepted, refused)
    }

    @Test("rebuild, as-of fleet and as-of node all agree with the live projection", arguments: [1, 7, 42, 2024, 0xDEAD_BEEF] as [UInt64])
    func liveProjectionMatchesReplay(seed: UInt64) async throws {
        let live = try await LiveEngineFixture.open("property")
        let (observations, script, accepted, refused) = try await Self.run(seed: seed, steps: 300, on: live)
        let events = try live.allEvents()

        // The run exercised the model: plenty accepted, plenty refused, many kinds of event.
        #expect(accepted >= 100, "seed \(seed): only \(accepted) of 300 commands were accepted")
        #expect(refused >= 15, "seed \(seed): only \(refused) of 300 commands were refused")
        #expect(Set(events.map(\.type)).count >= 14, "seed \(seed): event types \(Set(events.map(\.type)).sorted())")
        #expect(script.nodes.count >= 8)
        #expect(try live.projections.checkpoint() == (try live.store.currentHead().position))

        // (a) The rebuilt projections are byte-identical to the live ones.
        let liveDigest = try ProjectionDigest.compute(live.projections)
        let lastFleet = try live.projectedFleet()
        let rebuiltDigest = try await ProjectionRebuild.run(live.projections)
        #expect(rebuiltDigest == liveDigest, "seed \(seed): rebuild changed the projections")
        #expect(try ProjectionDigest.compute(live.projections) == rebuiltDigest)
        #expect(try live.projectedFleet() == lastFleet)
        #expect(try live.projections.checkpoint() == (try live.store.currentHead().position))

        // (b) At every position a command left the log at, the fleet folded from the log is the
        // fleet the projection showed. (c) So is each node on its own.
        #expect(try AsOf.fleet(at: 0, in: live.store).isEmpty)
        var checked = Set<UInt64>()
        var mismatches = 0 // reported up to 10 per seed; one divergence usually persists
        let everyNode = script.nodes + [UUID()]
        for observation in observations where checked.insert(observation.head).inserted && mismatches < 10 {
            let folded = try AsOf.fleet(at: observation.head, in: live.store)
            if folded != observation.fleet {
                let keys = Set(folded.keys).union(observation.fleet.keys).sorted { $0.uuidString < $1.uuidString }
                let differing = keys.filter { folded[$0] != observation.fleet[$0] }
                let detail = differing.map { "\($0.lowercased): \(aggregateDifference(observation.fleet[$0], folded[$0]))" }
                mismatches += 1
                Issue.record("seed \(seed) step \(observation.step) (\(observation.command)) head \(observation.head): AsOf.fleet differs from the projection: \(detail)")
            }
            for node in everyNode {
                let one = try AsOf.node(node, at: observation.head, in: live.store)
                if one != observation.fleet[node] {
                    mismatches += 1
                    Issue.record("seed \(seed) step \(observation.step) head \(observation.head): AsOf.node(\(node.lowercased)) differs: \(aggregateDifference(observation.fleet[node], one))")
                }
            }
        }
        #expect(mismatches == 0)
        #expect(checked.count == Set(observations.map(\.head)).count)
    }

    @Test("an inspection that records a null inventory: the rebuild is byte-identical and as-of agrees")
    func nullInventorySurvivesTheProjection() async throws {
        let live = try await LiveEngineFixture.open("property")
        let node = UUID()
        let metadata = requestMetadata()
        let commands: [NodeCommand] = [
            .enroll(uuid: node, fields: enrollFields(name: "inspected")),
            .provision(verb: .manage, arguments: ProvisionArguments()), .advance(event: .done, error: nil),
            .provision(verb: .inspect, arguments: ProvisionArguments()),
            .recordInspection(inventory: .null, properties: [:]),
            .advance(event: .done, error: nil), // one more event folded on the stored row
        ]
        for command in commands { try await live.handler.handle(command, node: node, metadata: metadata, origin: .engine) }
        let head = try live.store.currentHead().position
        let projected = try live.handler.aggregate(node)
        let folded = try AsOf.node(node, at: head, in: live.store)
        #expect(projected == folded, "projection vs as-of: \(aggregateDifference(folded, projected))")
        let liveDigest = try ProjectionDigest.compute(live.projections)
        let rebuiltDigest = try await ProjectionRebuild.run(live.projections)
        #expect(rebuiltDigest == liveDigest, "the rebuild changed the projection bytes")
    }

    // MARK: History

    /// The first position recorded at or after `time` (head + 1 if none), by brute force.
    static func firstPosition(atOrAfter time: Int64, log: [RecordedEvent]) -> UInt64 {
        log.first { $0.recordedAtMicroseconds >= time }?.position ?? UInt64(log.count) + 1
    }

    /// Whether the time bounds of `query` leave no position inside its position range — the
    /// shape that used to trap in `HistoryIndex.events(matching:)` (a `ClosedRange` built with its
    /// lower bound above its upper bound) and is also guarded by the exit tests below.
    static func leavesNoPositions(_ query: HistoryQuery, log: [RecordedEvent]) -> Bool {
        var lower = query.positions.lowerBound
        var upper = query.positions.upperBound
        if let since = query.since { lower = max(lower, firstPosition(atOrAfter: since, log: log)) }
        if let until = query.until { upper = min(upper, firstPosition(atOrAfter: until + 1, log: log) - 1) }
        return lower > upper
    }

    /// Three events recorded at three distinct times, in a live system of a child process.
    static func threeEventsApart() async throws -> (LiveEngineFixture, [RecordedEvent]) {
        let live = try await LiveEngineFixture.open("history-exit")
        for index in 0..<3 {
            let uuid = UUID()
            try await live.handler.handle(.enroll(uuid: uuid, fields: enrollFields(name: "timed-\(index)")), node: uuid, metadata: requestMetadata())
            try await Task.sleep(for: .milliseconds(3))
        }
        let log = try live.allEvents()
        guard log.count == 3, Set(log.map(\.recordedAtMicroseconds)).count == 3 else { throw CancellationError() }
        return (live, log)
    }

    @Test("a time window between two events finds nothing (and does not crash)")
    func emptyTimeWindow() async {
        await #expect(processExitsWith: .success, "HistoryQuery.swift: `range.lowerBound...min(range.upperBound, after - 1)` traps when no event lies in [since, until]") {
            let (live, log) = try await ProjectionPropertyTests.threeEventsApart()
            var query = HistoryQuery()
            query.since = log[0].recordedAtMicroseconds + 1
            query.until = log[1].recordedAtMicroseconds - 1
            let found = try live.projections.history.events(matching: query)
            guard found.isEmpty else { exit(3) }
        }
    }

    @Test("a time range that ends before it starts finds nothing (and does not crash)")
    func invertedTimeRange() async {
        await #expect(processExitsWith: .success, "HistoryQuery.swift: `range.lowerBound...min(range.upperBound, after - 1)` traps when until < since") {
            let (live, log) = try await ProjectionPropertyTests.threeEventsApart()
            var query = HistoryQuery()
            query.since = log[2].recordedAtMicroseconds
            query.until = log[1].recordedAtMicroseconds
            let found = try live.projections.history.events(matching: query)
            guard found.isEmpty else { exit(3) }
        }
    }

    @Test("a time range after the position range finds nothing (and does not crash)")
    func timeRangeOutsidePositions() async {
        await #expect(processExitsWith: .success, "HistoryQuery.swift: `max(range.lowerBound, …)...range.upperBound` traps when since is after query.positions") {
            let (live, log) = try await ProjectionPropertyTests.threeEventsApart()
            var query = HistoryQuery()
            query.positions = 1...1
            query.since = log[2].recordedAtMicroseconds
            let found = try live.projections.history.events(matching: query)
            guard found.isEmpty else { exit(3) }
        }
    }

    @Test("history queries by node, type, actor, project, request id and time equal a brute-force filter of the log", arguments: [3, 99] as [UInt64])
    func historyMatchesBruteForce(seed: UInt64) async throws {
        let live = try await LiveEngineFixture.open("history")
        var script = RandomFleetScript(seed: seed)
        var rng = SplitMix64(seed: seed ^ 0x5EED)
        let actors: [String?] = ["alice", "bob", "carol", "reactor:power", nil]
        let projects: [String?] = ["p1", "p2", nil]
        for step in 0..<240 {
            let (node, command) = try script.next(live)
            // Request ids repeat (a request can cause several commands) or are missing.
            let requestID: String? = rng.chance(0.15) ? nil : "req-\(rng.int(0..<60))"
            let metadata = EventMetadata(actor: rng.pick(actors)!, project: rng.pick(projects)!, requestID: requestID)
            do { try await live.handler.handle(command, node: node, metadata: metadata, origin: .engine) } catch is DomainError {} catch {
                Issue.record("step \(step): \(command) failed with \(error)")
            }
            if step % 40 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        let log = try live.store.events(from: 1, limit: .max)
        #expect(log.count >= 80)
        let history = live.projections.history

        var emptyWindows = 0
        func check(_ query: HistoryQuery, _ label: String, _ predicate: (RecordedEvent) -> Bool) throws {
            if Self.leavesNoPositions(query, log: log) { emptyWindows += 1 }
            var expected = log.filter { query.positions.contains($0.position) && predicate($0) }
            if expected.count > query.limit { expected = Array(expected.prefix(query.limit)) }
            let actual = try history.events(matching: query)
            #expect(actual.map(\.position) == expected.map(\.position), "\(label)")
            #expect(actual == expected, "\(label): same positions, different envelopes")
        }
        func node(_ event: RecordedEvent) -> UUID? { NodeStream.node(of: event.streamID) }

        // One criterion at a time, for every value the log holds and one it does not.
        for uuid in script.nodes + [UUID()] {
            var query = HistoryQuery()
            query.node = uuid
            try check(query, "node \(uuid.lowercased)") { node($0) == uuid }
        }
        for type in Set(log.map(\.type)).sorted() + ["NoSuchEvent"] {
            var query = HistoryQuery()
            query.type = type
            try check(query, "type \(type)") { $0.type == type }
        }
        for actor in actors.compactMap({ $0 }) + ["mallory"] {
            var query = HistoryQuery()
            query.actor = actor
            try check(query, "actor \(actor)") { $0.metadata.actor == actor }
        }
        for project in projects.compactMap({ $0 }) + ["p9"] {
            var query = HistoryQuery()
            query.project = project
            try check(query, "project \(project)") { $0.metadata.project == project }
        }
        for request in Set(log.compactMap(\.metadata.requestID)).sorted() + ["req-none"] {
            var query = HistoryQuery()
            query.requestID = request
            try check(query, "request \(request)") { $0.metadata.requestID == request }
        }

        // Time ranges: bounds on, between and outside the recorded times.
        let times = log.map(\.recordedAtMicroseconds)
        #expect(times == times.sorted(), "recorded times go backwards")
        var bounds = Set(times)
        for time in times { bounds.insert(time - 1); bounds.insert(time + 1) }
        bounds.insert(times.first! - 1_000_000)
        bounds.insert(times.last! + 1_000_000)
        let candidates = bounds.sorted()
        for _ in 0..<60 {
            let a = rng.pick(candidates)!, b = rng.pick(candidates)!
            var query = HistoryQuery()
            query.since = min(a, b)
            query.until = max(a, b)
            try check(query, "since \(min(a, b)) until \(max(a, b))") { $0.recordedAtMicroseconds >= min(a, b) && $0.recordedAtMicroseconds <= max(a, b) }
            var since = HistoryQuery()
            since.since = a
            try check(since, "since \(a)") { $0.recordedAtMicroseconds >= a }
            var until = HistoryQuery()
            until.until = b
            try check(until, "until \(b)") { $0.recordedAtMicroseconds <= b }
        }
        var inverted = HistoryQuery()
        inverted.since = times.last!
        inverted.until = times.first! - 1
        try check(inverted, "an empty time range") { _ in false }

        // Criteria together, with position ranges and limits.
        for round in 0..<80 {
            var query = HistoryQuery()
            if rng.chance(0.5) { query.node = rng.pick(script.nodes) }
            if rng.chance(0.4) { query.type = rng.pick(log)!.type }
            if rng.chance(0.4) { query.actor = rng.pick(actors)! }
            if rng.chance(0.3) { query.project = rng.pick(projects)! }
            if rng.chance(0.2) { query.requestID = rng.pick(log)!.metadata.requestID }
            if rng.chance(0.4) {
                let a = rng.pick(candidates)!, b = rng.pick(candidates)!
                query.since = min(a, b)
                if rng.chance(0.7) { query.until = max(a, b) }
            }
            if rng.chance(0.3) {
                let a = UInt64(rng.int(1..<(log.count + 2))), b = UInt64(rng.int(1..<(log.count + 2)))
                query.positions = min(a, b)...max(a, b)
            }
            if rng.chance(0.3) { query.limit = rng.int(1..<10) }
            let q = query
            try check(query, "combined query \(round): \(q)") { event in
                (q.node == nil || node(event) == q.node)
                    && (q.type == nil || event.type == q.type)
                    && (q.actor == nil || event.metadata.actor == q.actor)
                    && (q.project == nil || event.metadata.project == q.project)
                    && (q.requestID == nil || event.metadata.requestID == q.requestID)
                    && (q.since == nil || event.recordedAtMicroseconds >= q.since!)
                    && (q.until == nil || event.recordedAtMicroseconds <= q.until!)
            }
        }

        // Time windows with no event inside them (between two events, or before they start) were among them.
        #expect(emptyWindows > 0)

        // The index survives a rebuild unchanged.
        let before = try ProjectionDigest.compute(live.projections)
        #expect(try await ProjectionRebuild.run(live.projections) == before)
    }
}
