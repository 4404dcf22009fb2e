import Domain
import Drivers
import EventStore
import Foundation

/// One method per active provision state: what Ironic's conductor does there, through the
/// node's interfaces, ending with the event that moves the node on.
extension OperationRunner {
    /// `verifying`: the power and management interfaces accept the node and the BMC answers.
    func verify(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        guard let task = try await task(aggregate, progress, failure: "Failed to verify node") else { return }
        do {
            let power = try task.driver.requirePower()
            try power.validate(task)
            try task.driver.management?.validate(task)
            let state = try await power.powerState(task)
            try await context.record(.recordPowerState(state), task.node.uuid, cause: progress.start)
        } catch {
            return try await fail(aggregate, progress, "Failed to verify node \(task.node.uuid.lowercased): \(error.reason)")
        }
        try await cacheHardwareRecords(task, cause: progress.start)
        try await context.record(.advance(event: .done, error: nil), task.node.uuid, cause: progress.start)
    }

    /// `inspecting`: the inspect interface reports the hardware (or hands over to an agent).
    func inspect(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        guard let task = try await task(aggregate, progress, failure: "Failed to inspect hardware") else { return }
        guard let inspector = task.driver.inspect else {
            return try await fail(aggregate, progress, "Failed to inspect hardware: the node has no inspect interface")
        }
        let movesPorts = task.driver.network is SwitchNetwork
        if !progress.resumed {
            do { try await task.driver.network?.addInspectionNetwork(task) } catch {
                return try await fail(aggregate, progress, "Failed to move node \(task.node.uuid.lowercased) to the inspection network: \(error.reason)")
            }
            if movesPorts { try await context.record(.changeNetworkPhase(.inspection), task.node.uuid, cause: progress.start) }
        }
        let outcome: InspectionOutcome
        do { outcome = try await inspector.inspectHardware(task) } catch {
            return try await fail(aggregate, progress, "Failed to inspect hardware. Reason: \(error.reason)")
        }
        switch outcome {
        case .found(let inventory, let properties):
            do { try await task.driver.network?.removeInspectionNetwork(task) } catch {
                return try await fail(aggregate, progress, "Failed to move node \(task.node.uuid.lowercased) off the inspection network: \(error.reason)")
            }
            if movesPorts { try await context.record(.changeNetworkPhase(nil), task.node.uuid, cause: progress.start) }
            let recorded = try await context.commands.handle(
                .recordInspection(inventory: inventory, properties: properties), node: task.node.uuid,
                metadata: EventMetadata(actor: "conductor", correlationID: progress.start.metadata.correlationID ?? progress.start.eventID,
                                        causationID: progress.start.eventID),
                origin: .engine
            )
            try await createPorts(for: inventory, aggregate, cause: progress.start)
            let rules = InspectionRuleApplier(commands: context.commands, logger: context.logger)
            if let failure = try await rules.apply(to: task.node.uuid, cause: try InspectionRuleApplier.firstEvent(of: recorded, in: context.store)) {
                return try await fail(aggregate, progress, failure)
            }
            try await context.record(.advance(event: .done, error: nil), task.node.uuid, cause: progress.start)
        case .wait:
            try await context.record(.advance(event: .wait, error: nil), task.node.uuid, cause: progress.start)
        }
    }

    /// Creates a port for each MAC address the inventory lists that the node does not have yet
    /// (Ironic's `add_ports` inspection hook). A MAC another node already has is skipped with a
    /// warning, not an error: the inspection itself succeeded.
    func createPorts(for inventory: JSONValue, _ aggregate: NodeAggregate, cause: RecordedEvent) async throws {
        guard case .array(let interfaces)? = inventory["interfaces"] else { return }
        let known = Set(aggregate.ports.values.map { $0.address.lowercased() })
        for interface in interfaces {
            guard case .string(let mac)? = interface["mac_address"], !known.contains(mac.lowercased()) else { continue }
            do {
                try await context.record(.createPort(uuid: UUID(), fields: ["address": .string(mac)]), aggregate.node.uuid, cause: cause)
            } catch let error as DomainError {
                context.logger.warning("Inspection of node \(aggregate.node.uuid.lowercased) found MAC \(mac), but no port was created: \(error)")
            }
        }
    }

    /// `cleaning`: automated cleaning (on provide and after undeploy) or the manual steps asked
    /// for, between the deploy interface's preparation and tear-down.
    func clean(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        let uuid = aggregate.node.uuid
        let manual = progress.change.verb == .clean
        if !manual, !(aggregate.node.automatedClean ?? context.configuration.automatedClean) {
            return try await context.record(.advance(event: .done, error: nil), uuid, cause: progress.start)
        }
        guard let task = try await task(aggregate, progress, failure: "Failed to prepare for cleaning") else { return }
        let steps: [Step]
        do {
            steps = manual ? try StepPlan.requested(progress.change.arguments?.cleanSteps ?? [], phase: .clean, task) : StepPlan.automatedClean(task)
        } catch {
            return try await fail(aggregate, progress, "Cannot clean node \(uuid.lowercased): \(error.reason)")
        }
        guard let deployer = task.driver.deploy else {
            return try await fail(aggregate, progress, "Cannot clean node \(uuid.lowercased): it has no deploy interface")
        }
        if !progress.resumedByAgent {
            do { try await deployer.prepareCleaning(task) } catch {
                return try await fail(aggregate, progress, "Failed to prepare node \(uuid.lowercased) for cleaning: \(error.reason)")
            }
            if aggregate.networkPhase != .cleaning {
                try await context.record(.changeNetworkPhase(.cleaning), uuid, cause: progress.start)
            }
        }
        switch try await runSteps(steps, phase: .clean, aggregate, progress, task) {
        case .waiting, .failed: return
        case .completed: break
        }
        do { try await deployer.tearDownCleaning(task) } catch {
            return try await fail(aggregate, progress, "Failed to tear down from cleaning for node \(uuid.lowercased): \(error.reason)")
        }
        try await context.record(.changeNetworkPhase(nil), uuid, cause: progress.start)
        try await recordPower(task, cause: progress.start)
        try await cacheHardwareRecords(task, cause: progress.start)
        try await context.record(.advance(event: manual ? .manage : .done, error: nil), uuid, cause: progress.start)
    }

    /// `deploying` (deploy and rebuild): onto the provisioning network, then the deploy steps —
    /// the boot interface prepares, the deploy interface writes, the boot interface boots.
    func deploy(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        let uuid = aggregate.node.uuid
        guard let task = try await task(aggregate, progress, failure: "Failed to deploy") else { return }
        let steps: [Step]
        do {
            // Ironic validates the power and deploy interfaces (and boot, through deploy) first.
            try task.driver.requirePower().validate(task)
            guard let deployer = task.driver.deploy else { throw DriverError("the node has no deploy interface") }
            try deployer.validate(task)
            try task.driver.boot?.validate(task)
            try task.driver.storage?.validate(task)
            try StepPlan.checkInstanceTraits(aggregate.node)
            let templates = try DeployTemplateHandler(store: context.store, projections: context.commands.projections)
                .matching(traits: aggregate.node.instanceTraits)
            steps = try StepPlan.deploy(progress.change.arguments?.deploySteps, templates: templates, task)
        } catch {
            return try await fail(aggregate, progress, "Failed to deploy node \(uuid.lowercased): \(error.reason)")
        }
        if progress.finished.isEmpty, progress.unfinished == nil {
            do { try await task.driver.network?.addProvisioningNetwork(task) } catch {
                return try await fail(aggregate, progress, "Failed to move node \(uuid.lowercased) to the provisioning network: \(error.reason)")
            }
            try await context.record(.changeNetworkPhase(.provisioning), uuid, cause: progress.start)
        }
        switch try await runSteps(steps, phase: .deploy, aggregate, progress, task) {
        case .waiting, .failed: return
        case .completed: break
        }
        try await recordPower(task, cause: progress.start)
        try await context.record(.advance(event: .done, error: nil), uuid, cause: progress.start)
    }

    /// `deleting`: the deploy interface tears the instance down; the node goes on to cleaning.
    func tearDown(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        let uuid = aggregate.node.uuid
        guard let task = try await task(aggregate, progress, failure: "Failed to tear down") else { return }
        do {
            guard let deployer = task.driver.deploy else { throw DriverError("the node has no deploy interface") }
            try await deployer.tearDown(task)
        } catch {
            return try await fail(aggregate, progress, "Failed to tear down node \(uuid.lowercased): \(error.reason)")
        }
        if aggregate.networkPhase != nil { try await context.record(.changeNetworkPhase(nil), uuid, cause: progress.start) }
        try await detachVolumes(uuid, reason: .undeploy, throughStorage: false, cause: progress.start)
        try await recordPower(task, cause: progress.start)
        try await context.record(.advance(event: .clean, error: nil), uuid, cause: progress.start)
    }

    /// `rescuing`: the rescue interface boots the rescue ramdisk.
    func rescue(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        let uuid = aggregate.node.uuid
        // Resumed from `rescue wait`: the rescue agent has called back.
        if progress.resumed { return try await context.record(.advance(event: .done, error: nil), uuid, cause: progress.start) }
        guard let task = try await task(aggregate, progress, failure: "Failed to rescue") else { return }
        let outcome: StepOutcome
        do {
            guard let rescuer = task.driver.rescue else { throw DriverError("the node has no rescue interface") }
            outcome = try await rescuer.rescue(task)
        } catch {
            return try await fail(aggregate, progress, "Failed to rescue node \(uuid.lowercased): \(error.reason)")
        }
        try await context.record(.changeNetworkPhase(.rescuing), uuid, cause: progress.start)
        try await context.record(.advance(event: outcome == .wait ? .wait : .done, error: nil), uuid, cause: progress.start)
    }

    /// `unrescuing`: the rescue interface boots the instance again.
    func unrescue(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        let uuid = aggregate.node.uuid
        guard let task = try await task(aggregate, progress, failure: "Failed to unrescue") else { return }
        do {
            guard let rescuer = task.driver.rescue else { throw DriverError("the node has no rescue interface") }
            try await rescuer.unrescue(task)
        } catch {
            return try await fail(aggregate, progress, "Failed to unrescue node \(uuid.lowercased): \(error.reason)")
        }
        try await context.record(.changeNetworkPhase(.tenant), uuid, cause: progress.start)
        try await context.record(.advance(event: .done, error: nil), uuid, cause: progress.start)
    }

    /// `adopting`: the deploy interface takes over a running instance.
    func adopt(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        let uuid = aggregate.node.uuid
        guard let task = try await task(aggregate, progress, failure: "Failed to adopt") else { return }
        do {
            try task.driver.requirePower().validate(task)
            guard let deployer = task.driver.deploy else { throw DriverError("the node has no deploy interface") }
            try deployer.validate(task)
            try await deployer.takeOver(task)
        } catch {
            return try await fail(aggregate, progress, "Error while attempting to adopt node \(uuid.lowercased): \(error.reason).")
        }
        try await recordPower(task, cause: progress.start)
        try await context.record(.advance(event: .done, error: nil), uuid, cause: progress.start)
    }

    /// `servicing`: the service steps asked for, on an active node.
    func service(_ aggregate: NodeAggregate) async throws {
        let progress = try progress(aggregate)
        let uuid = aggregate.node.uuid
        guard let task = try await task(aggregate, progress, failure: "Failed to service") else { return }
        let steps: [Step]
        do { steps = try StepPlan.requested(progress.change.arguments?.serviceSteps ?? [], phase: .service, task) } catch {
            return try await fail(aggregate, progress, "Cannot service node \(uuid.lowercased): \(error.reason)")
        }
        let movesPorts = task.driver.network is SwitchNetwork
        if progress.finished.isEmpty, progress.unfinished == nil {
            do { try await task.driver.network?.addServicingNetwork(task) } catch {
                return try await fail(aggregate, progress, "Failed to move node \(uuid.lowercased) to the servicing network: \(error.reason)")
            }
            if movesPorts { try await context.record(.changeNetworkPhase(.servicing), uuid, cause: progress.start) }
        }
        switch try await runSteps(steps, phase: .service, aggregate, progress, task) {
        case .waiting, .failed: return
        case .completed: break
        }
        do {
            try await task.driver.network?.removeServicingNetwork(task)
            if movesPorts { try await task.driver.network?.configureTenantNetworks(task) }
        } catch {
            return try await fail(aggregate, progress, "Failed to move node \(uuid.lowercased) back to its tenant networks after servicing: \(error.reason)")
        }
        if movesPorts { try await context.record(.changeNetworkPhase(.tenant), uuid, cause: progress.start) }
        try await cacheHardwareRecords(task, cause: progress.start)
        try await context.record(.advance(event: .done, error: nil), uuid, cause: progress.start)
    }

    /// A pending power action: carried out, unless it is a reboot interrupted by a restart —
    /// that is not repeated (the node may already have rebooted); its power state is recorded.
    func changePower(_ aggregate: NodeAggregate) async throws {
        let uuid = aggregate.node.uuid
        guard let (request, target, timeout) = try OperationProgress.lastPowerRequest(uuid, in: context.store) else {
            return try await context.record(.recordPowerState(aggregate.node.powerState), uuid, cause: nil)
        }
        let task: DriverTask
        let power: any PowerInterface
        do {
            task = try context.task(for: aggregate)
            power = try task.driver.requirePower()
        } catch {
            return try await context.record(.failPowerAction(target: target, error: "Failed to change power state to '\(target.rawValue)': \(error)"), uuid, cause: request)
        }
        let interrupted = context.interruptedPowerActions.withLock { $0.remove(uuid) != nil }
        if interrupted, target == .rebooting || target == .softRebooting {
            let state = try? await power.powerState(task)
            try await context.record(.failPowerAction(target: target, error: "The \(target.rawValue) of this node was interrupted by a restart of the conductor "
                + "and was not repeated; the node is \(state?.rawValue ?? "in an unknown power state")."), uuid, cause: request)
            if let state { try await context.record(.recordPowerState(state), uuid, cause: request) }
            return
        }
        do {
            try await power.setPowerState(task, target, timeout: timeout)
        } catch {
            return try await context.record(.failPowerAction(target: target, error: "Failed to change power state to '\(target.rawValue)' by '\(power.name)'. Error: \(error.reason)"), uuid, cause: request)
        }
        try await context.record(.recordPowerState(target.targetPowerState), uuid, cause: request)
    }
}
