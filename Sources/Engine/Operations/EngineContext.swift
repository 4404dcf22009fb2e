import Domain
import Drivers
import EventStore
import Foundation
import Logging
import Projections
import Synchronization

/// What the engine's workers share: the log, the command handler, the drivers, the keys to the
/// nodes' secrets, the clock and the settings.
final class EngineContext: Sendable {
    let store: LMDBEventStore
    let commands: NodeCommandHandler
    let registry: DriverRegistry
    let keyring: NodeKeyring
    let clock: any EngineClock
    let configuration: EngineConfiguration
    let logger: Logger
    /// Nodes whose power action was pending when the engine started: a reboot among them is not
    /// repeated.
    let interruptedPowerActions = Mutex<Set<UUID>>([])
    private let stopping = Atomic<Bool>(false)

    /// Whether the engine is shutting down: work ends at the next step boundary, leaving the node
    /// where a restart resumes it.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Asks running work to end at its next step boundary.
    func stop() { stopping.store(true, ordering: .releasing) }

    init(store: LMDBEventStore, commands: NodeCommandHandler, registry: DriverRegistry, keyring: NodeKeyring,
         clock: any EngineClock, configuration: EngineConfiguration, logger: Logger) {
        self.store = store
        self.commands = commands
        self.registry = registry
        self.keyring = keyring
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    /// The node as a driver sees it: secrets opened (its volume targets' CHAP credentials too),
    /// interfaces resolved; for the `switch` network interface, the networks and switches, with
    /// its switch port moves recorded as caused by `cause`.
    func task(for aggregate: NodeAggregate, cause: RecordedEvent? = nil) throws -> DriverTask {
        var node = aggregate.node
        var targets = aggregate.volumeTargets.values.sorted { $0.bootIndex < $1.bootIndex }
        if let sealer = try keyring.sealer(for: node.uuid, create: false) {
            let owner = node.uuid.lowercased
            node.driverInfo = try SecretFields.opening(node.driverInfo, field: .driverInfo, context: owner, with: sealer)
            node.instanceInfo = try SecretFields.opening(node.instanceInfo, field: .instanceInfo, context: owner, with: sealer)
            for index in targets.indices {
                targets[index].properties = try SecretFields.opening(targets[index].properties, field: .volumeTargetProperties,
                                                                     context: EventSealing.targetOwner(node.uuid, targets[index].uuid), with: sealer)
            }
        }
        let driver = try registry.resolve(node)
        var switching: SwitchNetworking?
        if driver.network is SwitchNetwork {
            switching = try self.switching(for: aggregate) { [self] change in
                try await record(.recordSwitchPort(change), aggregate.uuid, cause: cause)
            }
        }
        return DriverTask(
            node: node, driver: driver,
            ports: aggregate.ports.values.sorted { $0.uuid.uuidString < $1.uuid.uuidString },
            volumeTargets: targets,
            volumeConnectors: aggregate.volumeConnectors.values.sorted { $0.uuid.uuidString < $1.uuid.uuidString },
            clock: clock,
            switching: switching
        )
    }

    /// What the `switch` network interface needs for `aggregate`: the configured networks, the
    /// phase networks, the managed switches and the node's VIFs' tenant networks; its moves go
    /// to `record`.
    func switching(for aggregate: NodeAggregate, record: @escaping @Sendable (SwitchPortChange) async throws -> Void) throws -> SwitchNetworking {
        let projections = commands.projections
        let networks = Dictionary(try projections.networks.all().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var tenant: [UUID: String] = [:]
        for port in aggregate.ports.values {
            if let network = aggregate.tenantNetwork(of: port) { tenant[port.uuid] = network }
        }
        return SwitchNetworking(
            phaseNetworks: configuration.phaseNetworks.compactMapValues { networks[$0] }, configuredPhaseNetworks: configuration.phaseNetworks,
            switches: try projections.switches.all().sorted { $0.name < $1.name }, networks: networks, tenantNetworks: tenant, record: record
        )
    }

    /// Appends the engine's outcome `command` for `node`, caused by `cause`.
    func record(_ command: NodeCommand, _ node: UUID, cause: RecordedEvent?) async throws {
        let correlation = cause.map { $0.metadata.correlationID ?? $0.eventID }
        try await commands.handle(
            command, node: node,
            metadata: EventMetadata(actor: "conductor", correlationID: correlation, causationID: cause?.eventID),
            origin: .engine
        )
    }
}

extension Error {
    /// The error in words for `last_error`: a driver's message as it is, anything else described.
    var reason: String { (self as? DriverError)?.message ?? "\(self)" }
}
