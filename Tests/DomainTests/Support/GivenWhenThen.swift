import Domain
import Foundation
import Testing

// "Given these events, when this command, then these events — or this refusal."
//
//     given(History.available).when(.provision(verb: .deploy, arguments: .init())).then([...])
//     given(History.active).when(.delete).then(.invalidState("..."), httpStatus: 409)
//
// The given events are folded with `NodeEvolution.evolve` at fixed, increasing times
// (`GivenWhenThen.time(of:)`), so evolve tests can state exact timestamps.

/// The fixed clock the given events are recorded at.
enum GivenWhenThen {
    /// When the first given event happened: 2023-11-14T22:13:20Z, in µs since 1970.
    static let start: Int64 = 1_700_000_000_000_000

    /// When the `index`-th given event (0-based) happened: one second apart.
    static func time(of index: Int) -> Int64 { start + Int64(index) * 1_000_000 }

    /// The state after folding `events`, the `n`-th at `time(of: n)`.
    static func fold(_ events: [NodeEvent], from initial: NodeAggregate? = nil) -> NodeAggregate? {
        var state = initial
        for (index, event) in events.enumerated() {
            state = NodeEvolution.evolve(state, event, at: time(of: index))
        }
        return state
    }
}

/// Starts a scenario from what already happened to the node (nothing: it does not exist).
func given(_ events: [NodeEvent] = [], fleet: FakeFleet = FakeFleet()) -> Given {
    Given(events: events, fleet: fleet)
}

/// What already happened, and the fleet the node lives in.
struct Given {
    let events: [NodeEvent]
    let fleet: FakeFleet

    /// The node's state after the given events.
    var state: NodeAggregate? { GivenWhenThen.fold(events) }

    /// The same history with the rest of the fleet described by `fleet`.
    func with(fleet: FakeFleet) -> Given { Given(events: events, fleet: fleet) }

    /// The command under test.
    func when(_ command: NodeCommand) -> When {
        When(state: state, command: command, fleet: fleet)
    }
}

/// A command about to be decided on a known state.
struct When {
    let state: NodeAggregate?
    let command: NodeCommand
    let fleet: FakeFleet

    /// What `decide` answers: events or a refusal.
    var outcome: Result<[NodeEvent], DomainError> {
        do { return .success(try NodeDecider.decide(state, command, fleet: fleet)) } catch { return .failure(error) }
    }

    /// Then exactly these events happen, in this order.
    func then(_ expected: [NodeEvent], sourceLocation: SourceLocation = #_sourceLocation) {
        switch outcome {
        case .success(let events):
            #expect(events == expected, sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("Expected \(expected), but the command was refused: \(error) (\(error.httpStatus))",
                         sourceLocation: sourceLocation)
        }
    }

    /// Then the command is refused with exactly `expected`, which Ironic answers with `httpStatus`.
    func then(_ expected: DomainError, httpStatus: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        switch outcome {
        case .success(let events):
            Issue.record("Expected the refusal \(expected), but decided \(events)", sourceLocation: sourceLocation)
        case .failure(let error):
            #expect(error == expected, sourceLocation: sourceLocation)
            #expect(error.httpStatus == httpStatus, sourceLocation: sourceLocation)
        }
    }

    /// Then the command is refused with some error that Ironic answers with `httpStatus` (for
    /// rules whose exact wording the facts do not fix).
    func thenRefused(httpStatus: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        switch outcome {
        case .success(let events):
            Issue.record("Expected a \(httpStatus) refusal, but decided \(events)", sourceLocation: sourceLocation)
        case .failure(let error):
            #expect(error.httpStatus == httpStatus, "refused with \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The events decided, for tests that look inside them; records an issue on a refusal.
    func events(sourceLocation: SourceLocation = #_sourceLocation) -> [NodeEvent] {
        switch outcome {
        case .success(let events):
            return events
        case .failure(let error):
            Issue.record("Expected events, but the command was refused: \(error)", sourceLocation: sourceLocation)
            return []
        }
    }
}

/// The rest of the fleet, for the uniqueness rules that span nodes: plain dictionaries.
struct FakeFleet: FleetLookup {
    /// Node name → the node that has it.
    var nodesByName: [String: UUID] = [:]
    /// Normalized MAC → the port or port group that has it.
    var macOwners: [String: UUID] = [:]
    /// Port or port group name → its UUID.
    var portNameOwners: [String: UUID] = [:]
    /// "type/connector_id" → the volume connector.
    var connectors: [String: UUID] = [:]
    /// Port, port group or volume resource → the node that owns it.
    var resourceOwners: [UUID: UUID] = [:]

    init(nodesByName: [String: UUID] = [:], macOwners: [String: UUID] = [:], portNameOwners: [String: UUID] = [:],
         connectors: [String: UUID] = [:], resourceOwners: [UUID: UUID] = [:]) {
        self.nodesByName = nodesByName
        self.macOwners = macOwners
        self.portNameOwners = portNameOwners
        self.connectors = connectors
        self.resourceOwners = resourceOwners
    }

    func node(named name: String) -> UUID? { nodesByName[name] }
    func owner(ofMAC address: String) -> UUID? { macOwners[address] }
    func owner(ofPortName name: String) -> UUID? { portNameOwners[name] }
    func volumeConnector(type: String, connectorID: String) -> UUID? { connectors["\(type)/\(connectorID)"] }
    func node(owning resource: UUID) -> UUID? { resourceOwners[resource] }
}

// MARK: - Fixtures

/// Fixed identities, so that expected events can be written out in full.
enum ID {
    static let node = UUID(uuidString: "1be26c0b-03f2-4d2e-ae87-c02d7f33c123")!
    static let otherNode = UUID(uuidString: "2be26c0b-03f2-4d2e-ae87-c02d7f33c123")!
    static let instance = UUID(uuidString: "3be26c0b-03f2-4d2e-ae87-c02d7f33c123")!
    static let otherInstance = UUID(uuidString: "4be26c0b-03f2-4d2e-ae87-c02d7f33c123")!
    static let port1 = UUID(uuidString: "a0000000-0000-4000-8000-000000000001")!
    static let port2 = UUID(uuidString: "a0000000-0000-4000-8000-000000000002")!
    static let port3 = UUID(uuidString: "a0000000-0000-4000-8000-000000000003")!
    static let port4 = UUID(uuidString: "a0000000-0000-4000-8000-000000000004")!
    static let group1 = UUID(uuidString: "b0000000-0000-4000-8000-000000000001")!
    static let group2 = UUID(uuidString: "b0000000-0000-4000-8000-000000000002")!
    static let connector1 = UUID(uuidString: "c0000000-0000-4000-8000-000000000001")!
    static let connector2 = UUID(uuidString: "c0000000-0000-4000-8000-000000000002")!
    static let target1 = UUID(uuidString: "d0000000-0000-4000-8000-000000000001")!
    static let target2 = UUID(uuidString: "d0000000-0000-4000-8000-000000000002")!
    static let unknown = UUID(uuidString: "e0000000-0000-4000-8000-00000000000e")!
}

/// MAC addresses in Ironic's normalized form.
enum MAC {
    static let a = "52:54:00:00:00:0a"
    static let b = "52:54:00:00:00:0b"
    static let c = "52:54:00:00:00:0c"
    static let d = "52:54:00:00:00:0d"
}

/// The node as enrolled in the fixtures: `ipmi`, nothing else set.
func fixtureNode(_ configure: (inout Node) -> Void = { _ in }) -> Node {
    var node = Node(uuid: ID.node, driver: "ipmi")
    configure(&node)
    return node
}

/// A port as the fixtures create it.
func fixturePort(_ uuid: UUID, _ address: String, _ configure: (inout Domain.Port) -> Void = { _ in }) -> Domain.Port {
    var port = Domain.Port(uuid: uuid, nodeUUID: ID.node, address: address)
    configure(&port)
    return port
}

/// A port group as the fixtures create it.
func fixtureGroup(_ uuid: UUID, _ configure: (inout PortGroup) -> Void = { _ in }) -> PortGroup {
    var group = PortGroup(uuid: uuid, nodeUUID: ID.node)
    configure(&group)
    return group
}

/// One provision move, the way the fixtures record them.
func moved(_ from: ProvisionState, _ event: ProvisionEvent, _ to: ProvisionState, target: ProvisionState?,
           verb: ProvisionVerb? = nil, error: String? = nil) -> NodeEvent {
    .provisionStateChanged(change: ProvisionStateChange(from: from, to: to, event: event, target: target, verb: verb, error: error))
}

/// Ready-made histories of the fixture node, written out event by event.
enum History {
    /// The node was enrolled (`enroll`, unknown power).
    static func enrolled(_ configure: (inout Node) -> Void = { _ in }) -> [NodeEvent] {
        [.enrolled(node: fixtureNode(configure))]
    }

    static let enroll = enrolled()
    static let manageable = enroll + [
        moved(.enroll, .manage, .verifying, target: .manageable, verb: .manage),
        moved(.verifying, .done, .manageable, target: nil),
    ]
    static let available = manageable + [
        moved(.manageable, .provide, .cleaning, target: .available, verb: .provide),
        moved(.cleaning, .done, .available, target: nil),
    ]
    static let deploying = available + [moved(.available, .deploy, .deploying, target: .active, verb: .active)]
    static let waitCallBack = deploying + [moved(.deploying, .wait, .waitCallBack, target: .active)]
    static let active = deploying + [moved(.deploying, .done, .active, target: nil)]
    static let deleting = active + [moved(.active, .delete, .deleting, target: .available, verb: .deleted)]
    static let manualCleaning = manageable + [moved(.manageable, .clean, .cleaning, target: .manageable, verb: .clean)]
    static let cleanWait = Array(available.dropLast(1)) + [moved(.cleaning, .wait, .cleanWait, target: .available)]
    static let inspecting = manageable + [moved(.manageable, .inspect, .inspecting, target: .manageable, verb: .inspect)]
    static let inspectWait = inspecting + [moved(.inspecting, .wait, .inspectWait, target: .manageable)]

    /// Powered off (as the BMC reported).
    static let poweredOff: [NodeEvent] = [.powerStateChanged(from: nil, to: .off)]
    /// Powered on (as the BMC reported).
    static let poweredOn: [NodeEvent] = [.powerStateChanged(from: nil, to: .on)]
    /// Put in maintenance by an operator.
    static let inMaintenance: [NodeEvent] = [.maintenanceSet(reason: "fixture")]

    /// The shortest history that takes the fixture node from `enroll` to `state`, following
    /// ironic-facts §1.3 row by row with the targets of §1.1 (cleaning is automated: target
    /// `available`). Computed from the facts' table as transcribed here, not from the Domain's.
    static func reaching(_ state: ProvisionState) -> [NodeEvent] {
        var paths: [ProvisionState: [NodeEvent]] = [.enroll: enroll]
        var queue: [ProvisionState] = [.enroll]
        while !queue.isEmpty {
            let current = queue.removeFirst()
            if current == state { return paths[current]! }
            for row in FactsTable.rows where row.from == current && paths[row.to] == nil {
                let verb = FactsTable.verb(for: row.event, isAPI: row.isAPI)
                paths[row.to] = paths[current]! + [moved(current, row.event, row.to, target: FactsTable.target(of: row.to), verb: verb)]
                queue.append(row.to)
            }
        }
        preconditionFailure("\(state) is not reachable in the facts' table")
    }
}

/// ironic-facts §1.3 (transition table) and §1.1 (default targets), transcribed for the tests so
/// that expected events do not come from the code under test.
enum FactsTable {
    struct Row: Sendable, Hashable, CustomTestStringConvertible {
        let from: ProvisionState
        let event: ProvisionEvent
        let to: ProvisionState
        let isAPI: Bool
        var testDescription: String { "\(from.rawValue) --\(event.rawValue)\(isAPI ? "" : " (int)")--> \(to.rawValue)" }
    }

    private static func api(_ from: ProvisionState, _ event: ProvisionEvent, _ to: ProvisionState) -> Row {
        Row(from: from, event: event, to: to, isAPI: true)
    }

    private static func int(_ from: ProvisionState, _ event: ProvisionEvent, _ to: ProvisionState) -> Row {
        Row(from: from, event: event, to: to, isAPI: false)
    }

    static let rows: [Row] = [
        api(.enroll, .manage, .verifying), int(.verifying, .done, .manageable), int(.verifying, .fail, .enroll),
        api(.manageable, .provide, .cleaning), api(.manageable, .clean, .cleaning), api(.manageable, .inspect, .inspecting),
        api(.manageable, .adopt, .adopting), api(.available, .deploy, .deploying), api(.available, .manage, .manageable),
        int(.deploying, .wait, .waitCallBack), int(.deploying, .hold, .deployHold), int(.deploying, .done, .active),
        int(.deploying, .fail, .deployFailed), int(.waitCallBack, .resume, .deploying), int(.waitCallBack, .hold, .deployHold),
        int(.waitCallBack, .fail, .deployFailed), api(.waitCallBack, .abort, .deployFailed), api(.waitCallBack, .delete, .deleting),
        api(.deployHold, .unhold, .waitCallBack), api(.deployHold, .abort, .deployFailed),
        api(.deployFailed, .deploy, .deploying), api(.deployFailed, .rebuild, .deploying), api(.deployFailed, .delete, .deleting),
        api(.active, .rebuild, .deploying), api(.active, .delete, .deleting), api(.active, .rescue, .rescuing),
        api(.active, .service, .servicing),
        int(.deleting, .clean, .cleaning), int(.deleting, .fail, .error), api(.error, .rebuild, .deploying), api(.error, .delete, .deleting),
        int(.cleaning, .wait, .cleanWait), int(.cleaning, .hold, .cleanHold), int(.cleaning, .done, .available),
        int(.cleaning, .manage, .manageable), int(.cleaning, .fail, .cleanFailed), int(.cleanWait, .resume, .cleaning),
        int(.cleanWait, .hold, .cleanHold), int(.cleanWait, .fail, .cleanFailed), api(.cleanWait, .abort, .cleanFailed),
        api(.cleanHold, .unhold, .cleanWait), api(.cleanHold, .abort, .cleanFailed), api(.cleanFailed, .manage, .manageable),
        int(.inspecting, .done, .manageable), int(.inspecting, .wait, .inspectWait), int(.inspecting, .fail, .inspectFailed),
        int(.inspectWait, .resume, .inspecting), int(.inspectWait, .done, .manageable), int(.inspectWait, .fail, .inspectFailed),
        api(.inspectWait, .abort, .inspectFailed), api(.inspectFailed, .inspect, .inspecting), api(.inspectFailed, .manage, .manageable),
        int(.adopting, .done, .active), int(.adopting, .fail, .adoptFailed), api(.adoptFailed, .adopt, .adopting),
        api(.adoptFailed, .manage, .manageable),
        int(.rescuing, .wait, .rescueWait), int(.rescuing, .done, .rescue), int(.rescuing, .fail, .rescueFailed),
        int(.rescueWait, .resume, .rescuing), int(.rescueWait, .fail, .rescueFailed), api(.rescueWait, .abort, .rescueFailed),
        api(.rescueWait, .delete, .deleting), api(.rescue, .rescue, .rescuing), api(.rescue, .unrescue, .unrescuing),
        api(.rescue, .delete, .deleting), api(.rescueFailed, .rescue, .rescuing), api(.rescueFailed, .unrescue, .unrescuing),
        api(.rescueFailed, .delete, .deleting), int(.unrescuing, .done, .active), int(.unrescuing, .fail, .unrescueFailed),
        api(.unrescueFailed, .rescue, .rescuing), api(.unrescueFailed, .unrescue, .unrescuing), api(.unrescueFailed, .delete, .deleting),
        int(.servicing, .done, .active), int(.servicing, .wait, .serviceWait), int(.servicing, .hold, .serviceHold),
        int(.servicing, .fail, .serviceFailed), int(.serviceWait, .resume, .servicing), int(.serviceWait, .hold, .serviceHold),
        int(.serviceWait, .fail, .serviceFailed), api(.serviceWait, .abort, .serviceFailed), api(.serviceWait, .delete, .deleting),
        api(.serviceHold, .service, .servicing), api(.serviceHold, .unhold, .serviceWait), api(.serviceHold, .abort, .serviceFailed),
        int(.serviceHold, .fail, .serviceFailed), api(.serviceFailed, .service, .servicing), api(.serviceFailed, .abort, .active),
        api(.serviceFailed, .rescue, .rescuing), api(.serviceFailed, .delete, .deleting), int(.serviceFailed, .wait, .serviceWait),
        int(.serviceFailed, .hold, .serviceHold),
    ]

    /// §1.1's "default target" column (automated cleaning for the cleaning states).
    static func target(of state: ProvisionState) -> ProvisionState? {
        switch state {
        case .enroll, .manageable, .available, .active, .error, .rescue: nil
        case .verifying, .inspecting, .inspectWait, .inspectFailed: .manageable
        case .deploying, .waitCallBack, .deployHold, .deployFailed, .adopting, .adoptFailed, .unrescuing,
             .unrescueFailed, .servicing, .serviceWait, .serviceHold, .serviceFailed: .active
        case .deleting, .cleaning, .cleanWait, .cleanHold, .cleanFailed: .available
        case .rescuing, .rescueWait, .rescueFailed: .rescue
        }
    }

    /// §1.2: the verbs that fire `event` (`active`/`deploy` and `deleted`/`undeploy` are aliases).
    static func verbs(firing event: ProvisionEvent) -> [ProvisionVerb] {
        switch event {
        case .manage: [.manage]
        case .provide: [.provide]
        case .inspect: [.inspect]
        case .clean: [.clean]
        case .adopt: [.adopt]
        case .deploy: [.active, .deploy]
        case .rebuild: [.rebuild]
        case .delete: [.deleted, .undeploy]
        case .abort: [.abort]
        case .rescue: [.rescue]
        case .unrescue: [.unrescue]
        case .unhold: [.unhold]
        case .service: [.service]
        case .done, .fail, .wait, .resume, .hold: []
        }
    }

    static func verb(for event: ProvisionEvent, isAPI: Bool) -> ProvisionVerb? {
        isAPI ? verbs(firing: event).first : nil
    }

    /// The smallest body each verb needs (§2.2: clean needs clean_steps, rescue a password,
    /// service its steps).
    static func minimalArguments(for verb: ProvisionVerb) -> ProvisionArguments {
        switch verb {
        case .clean: ProvisionArguments(cleanSteps: [["interface": "deploy", "step": "erase_devices_metadata"]])
        case .rescue: ProvisionArguments(rescuePassword: "s3cret")
        case .service: ProvisionArguments(serviceSteps: [["interface": "bios", "step": "apply_configuration"]])
        default: ProvisionArguments()
        }
    }
}

/// A JSON Patch document from `(op, path, value)` triples.
func patch(_ operations: (String, String, JSONValue?)...) -> JSONValue {
    .array(operations.map { op, path, value in
        var members: [String: JSONValue] = ["op": .string(op), "path": .string(path)]
        if let value { members["value"] = value }
        return .object(members)
    })
}
