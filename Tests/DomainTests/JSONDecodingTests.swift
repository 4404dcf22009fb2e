import Domain
import Foundation
import Testing

@Suite("The fast JSON path decodes exactly what Foundation's decoder does")
struct JSONDecodingTests {
    @Test("documents parse into the same JSONValue as Foundation decodes them")
    func parserMatchesFoundation() throws {
        let documents = [
            #"{"a": 1, "b": [true, false, null], "c": {"d": "e\"f\\g\/h\n\u00e9\ud83d\ude00"}, "n": -12.5e3, "big": 12345678901234567}"#,
            #"[]"#, #"{}"#, #"  "text"  "#, #"0"#, #"-0.5"#, #"[{"k": [1, [2, [3]]]}]"#,
        ]
        for document in documents {
            let data = Data(document.utf8)
            #expect(try JSONParser.parse(data) == JSONDecoder().decode(JSONValue.self, from: data), "\(document)")
        }
    }

    @Test("malformed documents are refused with the offset", arguments: [#"{"a": }"#, #"[1, 2"#, #"tru"#, #""abc"#, #"{"a" 1}"#, #"1 2"#])
    func malformed(document: String) {
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(Data(document.utf8)) }
    }

    @Test("every kind of node event round-trips through the log encoding")
    func nodeEventsRoundTrip() throws {
        let node = UUID(), port = UUID()
        var enrolled = Node(uuid: node, driver: "ipmi")
        enrolled.name = "n1"
        enrolled.driverInfo = ["ipmi_address": "127.0.0.1", "ipmi_port": 623]
        enrolled.interfaces[.power] = "ipmitool"
        enrolled.provisionUpdatedAt = 1_764_000_000_123_456
        let events: [NodeEvent] = [
            .enrolled(node: enrolled),
            .updated(changes: ["extra": ["a": [1, 2, ["b": nil]]], "name": nil]),
            .provisionStateChanged(change: ProvisionStateChange(from: .manageable, to: .cleaning, event: .clean, target: .manageable, verb: .clean,
                                                               arguments: ProvisionArguments(cleanSteps: [["interface": "raid", "step": "create_configuration"]]))),
            .portCreated(port: Port(uuid: port, nodeUUID: node, address: "52:54:00:00:00:01")),
            .vifAttached(vif: "vif-1", binding: .port(port)),
            .powerStateChanged(from: nil, to: .on),
            .traitsSet(traits: ["CUSTOM_GPU"]),
            .provisionStateChanged(change: ProvisionStateChange(from: .deploying, to: .deployFailed, event: .fail, target: .active, error: "BMC timeout")),
            .provisionStateChanged(change: ProvisionStateChange(from: .cleaning, to: .available, event: .done, target: nil)),
            .stepStarted(phase: .deploy, step: ["interface": "deploy", "step": "write_image", "priority": 80, "args": [:]]),
            .stepFinished(phase: .clean, step: ["step": "erase"], error: nil),
            .stepFinished(phase: .service, step: ["step": "firmware"], error: "flash failed"),
            .powerActionRequested(target: .softRebooting, timeout: 120),
            .powerActionRequested(target: .off, timeout: nil),
            .powerStateChanged(from: .on, to: nil),
            .networkPhaseChanged(from: nil, to: .tenant),
            .networkPhaseChanged(from: .cleaning, to: nil),
            .vifDetached(vif: "vif-2", binding: .portGroup(port)),
            .vifNetworkBound(vif: "vif-1", binding: .port(port), network: "tenant-a"),
            .vifNetworkBound(vif: "vif-2", binding: .portGroup(port), network: "storage"),
            .switchPortConfigured(change: SwitchPortChange(port: port, switchName: "sw1", switchPort: "p0", vlan: 1000, network: "tenant-a",
                                                           phase: .tenant, reason: "configure_tenant_networks")),
            .switchPortConfigured(change: SwitchPortChange(port: port, switchName: "sw1", switchPort: "p0", vlan: SwitchPortChange.parkingVLAN,
                                                           network: nil, phase: nil, reason: "remove_cleaning_network")),
            .maintenanceSet(reason: nil),
            .maintenanceSet(reason: "fan failure"),
            .maintenanceCleared,
            .lastErrorChanged(error: nil),
            .lastErrorChanged(error: "power sync failed"),
            .faultChanged(fault: "power failure"),
            .volumesAttached(targets: [UUID(), UUID()]),
            .volumeAttached(attachment: VolumeAttachment(target: UUID(), volumeType: "iscsi", volumeID: "vol-1", bootIndex: 0)),
            .volumeDetached(attachment: VolumeAttachment(target: UUID(), volumeType: "fibre_channel", volumeID: "lun-ü", bootIndex: 3),
                            reason: .deployFailed),
            .deleted,
        ]
        for event in events {
            // The log's encoding (binary for the frequent kinds, JSON otherwise) round-trips …
            let payload = try event.encodedPayload()
            #expect(try NodeEvent.decode(payload: payload) == event)
            #expect(try event.encodedPayload() == payload, "encoding is deterministic")
            // … and so does the JSON form, through our decoder and Foundation's alike.
            let json = try event.jsonPayload()
            #expect(try NodeEvent.decode(payload: json) == event)
            #expect(try JSONDecoder().decode(NodeEvent.self, from: json) == event)
        }
    }
}

@Suite("The fast JSON encoder writes what Foundation's encoder writes")
struct JSONEncodingTests {
    @Test("an aggregate encodes to the same JSON tree as with Foundation, with sorted keys, and decodes back")
    func aggregateMatchesFoundation() throws {
        let node = UUID(), port = UUID(), target = UUID()
        var enrolled = Node(uuid: node, driver: "ipmi")
        enrolled.name = "n1"
        enrolled.driverInfo = ["ipmi_address": "127.0.0.1", "ipmi_port": 623, "weird": "quote \" back\\slash \n tab\t \u{1}", "ratio": 0.25]
        enrolled.interfaces[.power] = "ipmitool"
        enrolled.traits = ["CUSTOM_A", "CUSTOM_B"]
        enrolled.provisionUpdatedAt = 1_764_000_000_123_456
        var aggregate = NodeAggregate(node: enrolled)
        aggregate.ports[port] = Port(uuid: port, nodeUUID: node, address: "52:54:00:00:00:01")
        aggregate.volumeTargets[target] = VolumeTarget(uuid: target, nodeUUID: node, volumeType: "iscsi", bootIndex: 0, volumeID: "v")
        aggregate.attachedVolumes = [target: 1_764_000_000_200_000]
        aggregate.inventory = ["cpu": ["count": 32], "disks": [["size": 1_000_000_000_000], nil]]
        aggregate.version = 42

        let fast = try JSONValueEncoder().encode(aggregate)
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys]
        let expected = try JSONDecoder().decode(JSONValue.self, from: foundation.encode(aggregate))
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(fast)) == expected)
        #expect(try JSONValueDecoder().decode(NodeAggregate.self, from: Data(fast)) == aggregate)
        #expect(try JSONValueEncoder().encode(aggregate) == fast, "encoding is deterministic")
        let text = String(decoding: fast, as: UTF8.self)
        #expect(text.hasPrefix(#"{"attached_volumes":["#))
    }

    @Test("a key encoded twice keeps its last value, as Foundation's encoder does, and bytes equal the tree's")
    func repeatedKeyKeepsLastValue() throws {
        struct Twice: Encodable {
            enum Keys: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode("first", forKey: .b)
                try container.encode(1, forKey: .a)
                try container.encode("second", forKey: .b)
            }
        }
        let bytes = try JSONValueEncoder().encode(Twice())
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":1,"b":"second"}"#)
        var fromTree: [UInt8] = []
        JSONSerializer.write(try JSONValueEncoder().encodeTree(Twice()), into: &fromTree)
        #expect(fromTree == bytes)
    }
}
