import Foundation

/// Provision verbs from users and outcomes from the engine, checked against the state machine.
enum ProvisionDecisions {
    static func provision(_ aggregate: NodeAggregate, verb: ProvisionVerb, arguments: ProvisionArguments) throws(DomainError) -> [NodeEvent] {
        let node = aggregate.node
        try checkArguments(arguments, for: verb)
        let event = verb.event
        if node.maintenance, event == .deploy || event == .rebuild {
            throw .nodeInMaintenance(action: verb.rawValue, node: node.uuid)
        }
        if node.protected, node.provisionState == .active || node.provisionState == .error, event == .rebuild || event == .delete {
            throw .nodeProtected(node.uuid)
        }
        if node.retired, event == .provide { throw .nodeRetired(node.uuid) }
        guard let transition = ProvisionStateMachine.transition(from: node.provisionState, on: event), transition.trigger == .api else {
            throw .invalidStateRequested(action: verb.rawValue, node: node.uuid, state: node.provisionState)
        }
        let target: ProvisionState? = verb == .clean
            ? .manageable
            : ProvisionStateMachine.target(entering: transition.to, previousTarget: node.targetProvisionState)
        let recorded = arguments == ProvisionArguments() ? nil : arguments
        return [.provisionStateChanged(change: ProvisionStateChange(
            from: node.provisionState, to: transition.to, event: event, target: target, verb: verb, arguments: recorded
        ))]
    }

    static func advance(_ aggregate: NodeAggregate, event: ProvisionEvent, error: String?) throws(DomainError) -> [NodeEvent] {
        let node = aggregate.node
        guard let transition = ProvisionStateMachine.transition(from: node.provisionState, on: event), transition.trigger == .internal else {
            throw .invalidState("Node \(node.uuid.lowercased) cannot take the internal event \"\(event.rawValue)\" in state \"\(node.provisionState.rawValue)\".")
        }
        // Manual cleaning ends with `manage`; everything else takes the entered state's target.
        let target = node.provisionState == .cleaning && event == .manage
            ? nil
            : ProvisionStateMachine.target(entering: transition.to, previousTarget: node.targetProvisionState)
        let change: NodeEvent = .provisionStateChanged(change: ProvisionStateChange(
            from: node.provisionState, to: transition.to, event: event, target: target, error: event == .fail ? error ?? "Unknown failure" : error
        ))
        // Tear-down ends by destroying the node's allocation, as Ironic's does.
        if node.provisionState == .deleting, event == .clean, let allocation = node.allocationUUID {
            return [change, .allocationReleased(allocation: allocation)]
        }
        return [change]
    }

    /// Ironic's body rules for `PUT /states/provision`.
    private static func checkArguments(_ arguments: ProvisionArguments, for verb: ProvisionVerb) throws(DomainError) {
        let deploying: Set<ProvisionVerb> = [.active, .deploy, .rebuild]
        if arguments.configdrive != nil, !deploying.contains(verb) {
            throw .invalidParameter("Adding a config drive is only supported when setting provision state to active, deploy or rebuild")
        }
        if verb == .clean {
            guard arguments.cleanSteps != nil || arguments.runbook != nil else {
                throw .invalidParameter("\"clean_steps\" is required when setting target provision state to clean")
            }
        } else if arguments.cleanSteps != nil {
            throw .invalidParameter("\"clean_steps\" is only valid when setting target provision state to clean")
        }
        if arguments.deploySteps != nil, !deploying.contains(verb) {
            throw .invalidParameter("\"deploy_steps\" is only valid when setting target provision state to active, deploy or rebuild")
        }
        if let steps = arguments.deploySteps {
            for step in steps {
                for key in ["interface", "step", "args", "priority"] where step[key] == nil {
                    throw .invalidParameter("Each deploy step needs \"\(key)\"")
                }
                try StepShape.check(step, kind: "deploy", interfaces: StepShape.anyInterface, members: StepShape.deployMembers)
            }
        }
        if verb == .service {
            guard arguments.serviceSteps != nil || arguments.runbook != nil else {
                throw .invalidParameter("\"service_steps\" is required when setting target provision state to service")
            }
        } else if arguments.serviceSteps != nil {
            throw .invalidParameter("\"service_steps\" is only valid when setting target provision state to service")
        }
        if arguments.runbook != nil, verb != .clean, verb != .service {
            throw .invalidParameter(RunbookUse.wrongVerb)
        }
        if verb == .rescue {
            guard let password = arguments.rescuePassword, !password.isEmpty else {
                throw .invalidParameter("A non-empty \"rescue_password\" is required when setting target provision state to rescue")
            }
        } else if arguments.rescuePassword != nil {
            throw .invalidParameter("\"rescue_password\" is only valid when setting target provision state to rescue")
        }
        if arguments.disableRamdisk != nil, verb != .clean, verb != .service {
            throw .invalidParameter("\"disable_ramdisk\" can only be used with automated cleaning or servicing")
        }
        for steps in [arguments.cleanSteps, arguments.serviceSteps].compactMap({ $0 }) {
            for step in steps where step["interface"] == nil || step["step"] == nil {
                throw .invalidParameter("Each step needs \"interface\" and \"step\"")
            }
        }
        for step in arguments.cleanSteps ?? [] {
            try StepShape.check(step, kind: "clean", interfaces: StepShape.cleaningInterfaces, members: StepShape.members)
        }
        for step in arguments.serviceSteps ?? [] {
            try StepShape.check(step, kind: "service", interfaces: StepShape.anyInterface, members: StepShape.members)
        }
    }
}

/// The shape Ironic's step schemas give a requested clean, service or deploy step: a known
/// interface, a non-empty step name, `args` an object, a deploy step's `priority` a non-negative
/// integer, and no other members — so a malformed step is refused before any state changes.
enum StepShape {
    /// The interfaces a manual clean step may name (Ironic's `CLEANING_INTERFACE_PRIORITY`).
    static let cleaningInterfaces: Set<String> = ["vendor", "power", "management", "deploy", "firmware", "bios", "raid"]
    /// Any interface kind, for service and deploy steps.
    static let anyInterface: Set<String> = Set(HardwareInterfaceKind.allCases.map(\.rawValue))
    /// The members of a clean or service step.
    static let members: Set<String> = ["interface", "step", "args"]
    /// The members of a deploy step.
    static let deployMembers: Set<String> = ["interface", "step", "args", "priority"]

    static func check(_ step: JSONValue, kind: String, interfaces: Set<String>, members: Set<String>) throws(DomainError) {
        guard case .object(let fields) = step else { throw .invalidParameter("Each \(kind) step must be an object.") }
        if let unknown = fields.keys.sorted().first(where: { !members.contains($0) }) {
            throw .invalidParameter("A \(kind) step has an unexpected member \"\(unknown)\"; allowed: \(members.sorted().joined(separator: ", ")).")
        }
        guard case .string(let interface)? = fields["interface"], interfaces.contains(interface) else {
            throw .invalidParameter("A \(kind) step's \"interface\" must be one of \(interfaces.sorted().joined(separator: ", ")).")
        }
        guard case .string(let name)? = fields["step"], !name.isEmpty else {
            throw .invalidParameter("A \(kind) step's \"step\" must be a non-empty string.")
        }
        if let args = fields["args"], args.objectValue == nil {
            throw .invalidParameter("A \(kind) step's \"args\" must be an object.")
        }
        if let priority = fields["priority"] {
            guard case .number(let value) = priority, value >= 0, value.rounded() == value, value < 1e9 else {
                throw .invalidParameter("A \(kind) step's \"priority\" must be a non-negative integer.")
            }
        }
    }
}

/// Power requests and what the BMC reports back.
enum PowerDecisions {
    static func request(_ aggregate: NodeAggregate, target: PowerTarget, timeout: Int?) throws(DomainError) -> [NodeEvent] {
        let node = aggregate.node
        if let timeout, timeout < 1 { throw .invalidParameter("Invalid timeout value \(timeout); it must be a positive integer") }
        if node.provisionState == .cleaning || node.provisionState == .cleanWait {
            throw .invalidStateRequested(action: target.rawValue, node: node.uuid, state: node.provisionState)
        }
        if target.powersOff, node.disablePowerOff { throw .powerOffDisabled(node.uuid) }
        return [.powerActionRequested(target: target, timeout: timeout)]
    }

    static func record(_ aggregate: NodeAggregate, power: PowerState?) -> [NodeEvent] {
        let node = aggregate.node
        guard power != node.powerState || node.targetPowerState != nil else { return [] }
        return [.powerStateChanged(from: node.powerState, to: power)]
    }
}

/// Node traits: standard or `CUSTOM_` names, replaced whole, added or removed one at a time; at
/// most ``maximum`` a node.
enum TraitDecisions {
    /// Ironic's `MAX_TRAITS_PER_NODE`.
    static let maximum = 50

    static func set(_ aggregate: NodeAggregate, traits: [String]) throws(DomainError) -> [NodeEvent] {
        for trait in traits { try validate(trait) }
        let unique = Array(Set(traits)).sorted()
        try checkCount(unique.count, node: aggregate.uuid)
        return unique == aggregate.node.traits ? [] : [.traitsSet(traits: unique)]
    }

    static func add(_ aggregate: NodeAggregate, trait: String) throws(DomainError) -> [NodeEvent] {
        try validate(trait)
        guard !aggregate.node.traits.contains(trait) else { return [] }
        try checkCount(aggregate.node.traits.count + 1, node: aggregate.uuid)
        return [.traitsSet(traits: (aggregate.node.traits + [trait]).sorted())]
    }

    private static func checkCount(_ count: Int, node: UUID) throws(DomainError) {
        guard count <= maximum else {
            throw .invalidParameter("Could not modify traits for node \(node.uuidString.lowercased()) as it would exceed the maximum "
                + "number of traits per node (\(count) vs. \(maximum)).")
        }
    }

    static func remove(_ aggregate: NodeAggregate, trait: String?) throws(DomainError) -> [NodeEvent] {
        guard let trait else { return aggregate.node.traits.isEmpty ? [] : [.traitsSet(traits: [])] }
        guard aggregate.node.traits.contains(trait) else { throw .resourceNotFound(kind: "Trait", id: trait) }
        return [.traitsSet(traits: aggregate.node.traits.filter { $0 != trait })]
    }

    private static func validate(_ trait: String) throws(DomainError) {
        do { _ = try NodeTrait(trait) } catch { throw .invalidField("traits", reason: "\(error)") }
    }
}
