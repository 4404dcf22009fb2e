import Domain
import EventStore
import Foundation

/// A synthetic but realistic fleet history for benchmarks: each node is enrolled with two ports,
/// verified, cleaned, powered on, then cycles through deploy (with steps and a call-back wait),
/// VIF binding, reboots, undeploy and automated cleaning — interleaved across nodes as a busy
/// fleet's log would be.
public struct FleetWorkload: Sendable {
    public let nodes: Int
    public let events: Int

    public init(nodes: Int, events: Int) {
        self.nodes = nodes
        self.events = events
    }

    /// The UUID of node `index` (deterministic, so runs are comparable).
    public static func uuid(_ index: Int) -> UUID {
        var bytes: uuid_t = (0x1D, 0x10, 0x6C, 0, 0, 0x40, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw.storeBytes(of: UInt32(index).bigEndian, toByteOffset: 12, as: UInt32.self)
        }
        return UUID(uuid: bytes)
    }

    /// Appends the workload to `store` in large batches, reporting progress.
    public func write(to store: LMDBEventStore, progress: ((Int, Int) -> Void)? = nil) async throws {
        var cursors = [Int](repeating: 0, count: nodes)
        var written = 0
        while written < events {
            var appends: [StreamAppend] = []
            for node in 0..<nodes where written + appends.count < events {
                let event = Self.event(cursors[node], node: node)
                let metadata = Self.metadata(cursors[node], node: node)
                cursors[node] += 1
                appends.append(StreamAppend(
                    streamID: "node/" + Self.uuid(node).lowercased,
                    events: [ProposedEvent(type: event.typeName, metadata: metadata, payload: try event.encodedPayload())]
                ))
                if appends.count == 5_000 {
                    _ = try await store.append(appends)
                    written += appends.count
                    appends.removeAll(keepingCapacity: true)
                    progress?(written, events)
                }
            }
            if !appends.isEmpty {
                _ = try await store.append(appends)
                written += appends.count
                progress?(written, events)
            }
        }
    }

    /// Who asked for the `index`-th event of node `node`'s life: one of 20 projects owns each
    /// node, and every command (about a dozen events: setup, then each deploy and each
    /// undeploy) has its own request id, as API requests do.
    static func metadata(_ index: Int, node: Int) -> EventMetadata {
        EventMetadata(actor: "operator-\(node % 5)", project: "project-\(node % 20)", requestID: "req-\(node)-\(index / 13)")
    }

    /// The `index`-th event of node `node`'s life.
    static func event(_ index: Int, node: Int) -> NodeEvent {
        let uuid = uuid(node)
        let port1 = UUID(uuid: (0xA0, 0, 0, 0, 0, 0x40, 0, 0, 0x80, 0, 0, 0, UInt8(truncatingIfNeeded: node >> 24), UInt8(truncatingIfNeeded: node >> 16), UInt8(truncatingIfNeeded: node >> 8), UInt8(truncatingIfNeeded: node)))
        let port2 = UUID(uuid: (0xA1, 0, 0, 0, 0, 0x40, 0, 0, 0x80, 0, 0, 0, UInt8(truncatingIfNeeded: node >> 24), UInt8(truncatingIfNeeded: node >> 16), UInt8(truncatingIfNeeded: node >> 8), UInt8(truncatingIfNeeded: node)))
        func mac(_ nic: Int) -> String {
            String(format: "52:54:%02x:%02x:%02x:%02x", nic, (node >> 16) & 0xFF, (node >> 8) & 0xFF, node & 0xFF)
        }
        func move(_ from: ProvisionState, _ to: ProvisionState, _ event: ProvisionEvent, _ target: ProvisionState?, verb: ProvisionVerb? = nil) -> NodeEvent {
            .provisionStateChanged(change: ProvisionStateChange(from: from, to: to, event: event, target: target, verb: verb))
        }
        func step(_ name: String, _ priority: Int) -> JSONValue {
            ["interface": "deploy", "step": .string(name), "priority": .number(Double(priority)), "args": [:]]
        }
        let setup: [NodeEvent] = [
            .enrolled(node: {
                var enrolled = Node(uuid: uuid, driver: "ipmi")
                enrolled.name = "node-\(node)"
                enrolled.driverInfo = ["ipmi_address": "127.0.0.1", "ipmi_port": .number(Double(9000 + node % 1000)), "ipmi_username": "admin",
                                   "ipmi_password": "ironlog-sealed:v1:q0rOnXYr5w1b3mXpZ0o6pL8cTq2Xj3iW9Fv4nQ=="]
                enrolled.properties = ["cpus": 32, "memory_mb": 262_144, "local_gb": 960, "cpu_arch": "x86_64"]
                enrolled.resourceClass = "baremetal"
                for kind in HardwareInterfaceKind.allCases { enrolled.interfaces[kind] = kind == .power || kind == .management ? "ipmitool" : "fake" }
                return enrolled
            }()),
            .portCreated(port: {
                var port = Port(uuid: port1, nodeUUID: uuid, address: mac(1))
                port.localLinkConnection = ["switch_id": "0a:1b:2c:3d:4e:5f", "port_id": .string("Ethernet\(node % 48)"), "switch_info": "tor-1"]
                port.physicalNetwork = "physnet1"
                return port
            }()),
            .portCreated(port: Port(uuid: port2, nodeUUID: uuid, address: mac(2))),
            move(.enroll, .verifying, .manage, .manageable, verb: .manage),
            move(.verifying, .manageable, .done, nil),
            move(.manageable, .cleaning, .provide, .available, verb: .provide),
            .stepStarted(phase: .clean, step: ["interface": "deploy", "step": "erase_devices_metadata", "priority": 99, "args": [:]]),
            .stepFinished(phase: .clean, step: ["interface": "deploy", "step": "erase_devices_metadata", "priority": 99, "args": [:]], error: nil),
            move(.cleaning, .available, .done, nil),
            .powerActionRequested(target: .on, timeout: nil),
            .powerStateChanged(from: nil, to: .on),
        ]
        let cycle: [NodeEvent] = [
            .updated(changes: ["instance_info": ["image_source": "http://127.0.0.1:8080/images/ubuntu-24.04.qcow2", "root_gb": 100],
                               "instance_uuid": .string(UUID(uuid: (0xC0, 0, 0, 0, 0, 0x40, 0, 0, 0x80, 0, 0, 0, 0, 0, UInt8(truncatingIfNeeded: node >> 8), UInt8(truncatingIfNeeded: node))).lowercased)]),
            .vifAttached(vif: "vif-\(node)", binding: .port(port1)),
            move(.available, .deploying, .deploy, .active, verb: .active),
            .networkPhaseChanged(from: nil, to: .provisioning),
            .stepStarted(phase: .deploy, step: step("deploy", 100)),
            move(.deploying, .waitCallBack, .wait, .active),
            move(.waitCallBack, .deploying, .resume, .active),
            .stepFinished(phase: .deploy, step: step("deploy", 100), error: nil),
            .stepStarted(phase: .deploy, step: step("write_image", 80)),
            .stepFinished(phase: .deploy, step: step("write_image", 80), error: nil),
            .networkPhaseChanged(from: .provisioning, to: .tenant),
            .stepStarted(phase: .deploy, step: step("boot_instance", 20)),
            .powerActionRequested(target: .rebooting, timeout: nil),
            .powerStateChanged(from: .on, to: .on),
            .stepFinished(phase: .deploy, step: step("boot_instance", 20), error: nil),
            move(.deploying, .active, .done, nil),
            .powerActionRequested(target: .rebooting, timeout: nil),
            .powerStateChanged(from: .on, to: .on),
            move(.active, .deleting, .delete, .available, verb: .deleted),
            .vifDetached(vif: "vif-\(node)", binding: .port(port1)),
            .networkPhaseChanged(from: .tenant, to: .cleaning),
            move(.deleting, .cleaning, .clean, .available),
            .stepStarted(phase: .clean, step: ["interface": "deploy", "step": "erase_devices_metadata", "priority": 99, "args": [:]]),
            .stepFinished(phase: .clean, step: ["interface": "deploy", "step": "erase_devices_metadata", "priority": 99, "args": [:]], error: nil),
            .networkPhaseChanged(from: .cleaning, to: nil),
            move(.cleaning, .available, .done, nil),
        ]
        return index < setup.count ? setup[index] : cycle[(index - setup.count) % cycle.count]
    }
}
