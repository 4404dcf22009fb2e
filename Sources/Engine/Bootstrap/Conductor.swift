import Domain
import Drivers
import EventStore
import Foundation
import Logging
import Projections
import Synchronization

/// A data directory opened for work, as Ironic's conductor is: the store, its projections caught
/// up and registered inline, the node keyring, the command handler, the drivers, and — once
/// started — the reactor and periodic checks that drive the hardware. What `ironlog serve` runs on.
public final class Conductor: Sendable {
    /// The event log of the data directory.
    public let store: LMDBEventStore
    /// Every projection, caught up and registered inline.
    public let projections: ProjectionSet
    /// The per-node keys that seal secrets.
    public let keyring: NodeKeyring
    /// Where commands become events.
    public let commands: NodeCommandHandler
    /// The hardware types and interfaces.
    public let drivers: DriverRegistry
    /// The time the engine runs on.
    public let clock: any EngineClock
    /// The settings.
    public let configuration: EngineConfiguration

    let context: EngineContext
    let queue: NodeWorkQueue
    let reactor: ProvisioningReactor
    let periodic: PeriodicChecks
    /// The reactor and periodic tasks, and whether the conductor has stopped (a start that comes
    /// after a stop does nothing; a stop waits for a start under way).
    private let lifecycle = Mutex<(tasks: [Task<Void, Never>], stopped: Bool)>(([], false))
    private let closed = Atomic<Bool>(false)

    /// Opens `directory`, brings lagging projections up to the log's head (reporting progress),
    /// then registers them inline so every later commit keeps them current. Nothing runs on the
    /// hardware until ``start()``.
    ///
    /// `drivers` defaults to every standard hardware type, writing boot files under `<data>/boot`.
    /// The log is stamped on `clock`, so recorded times (`provision_updated_at` among them) and the
    /// engine's timeouts lie on one timeline.
    public static func open(directory: String, options: StoreOptions = StoreOptions(), configuration: EngineConfiguration = EngineConfiguration(),
                            drivers: DriverRegistry? = nil, clock: any EngineClock = SystemClock(),
                            logger: Logger = Logger(label: "ironlog.engine"),
                            progress: ((UInt64, UInt64) -> Void)? = nil) async throws -> Conductor {
        var options = options
        options.clock = { clock.nowMicroseconds }
        let store = try LMDBEventStore(directory: directory, options: options)
        do {
            let projections = try await ProjectionSet.open(in: store)
            try await projections.catchUp(progress: progress)
            projections.registerInline()
            let keyring = try NodeKeyring(dataDirectory: directory)
            // By default boot files live with the data: `<data>/boot`.
            let drivers = drivers ?? .standard(boot: BootConfiguration(root: directory + "/boot"))
            return Conductor(store: store, projections: projections, keyring: keyring, configuration: configuration,
                             drivers: drivers, clock: clock, logger: logger)
        } catch {
            store.close()
            throw error
        }
    }

    private init(store: LMDBEventStore, projections: ProjectionSet, keyring: NodeKeyring, configuration: EngineConfiguration,
                 drivers: DriverRegistry, clock: any EngineClock, logger: Logger) {
        self.store = store
        self.projections = projections
        self.keyring = keyring
        self.configuration = configuration
        self.drivers = drivers
        self.clock = clock
        commands = NodeCommandHandler(store: store, projections: projections, keyring: keyring, reservation: NodeReservation(host: configuration.host))
        context = EngineContext(store: store, commands: commands, registry: drivers, keyring: keyring, clock: clock,
                                configuration: configuration, logger: logger)
        let runner = OperationRunner(context: context)
        queue = NodeWorkQueue { node in await runner.run(node) }
        reactor = ProvisioningReactor(store: store, queue: queue)
        periodic = PeriodicChecks(context: context, tables: projections.nodes.tables)
    }

    /// Throws, naming the position and what to do, if the log's tail does not verify (the check
    /// ``start()`` begins with). `ironlog serve` calls it before it listens, so that a broken log is
    /// never served, and starts the conductor once the API answers.
    public func verifyTail() throws {
        try RestartRecovery.checkTail(context)
    }

    /// Recovers what the last run left (see ``RestartRecovery``), then starts the reactor and the
    /// periodic checks. Throws if the log's tail does not verify. Does nothing once the conductor
    /// has been shut down or closed.
    public func start() throws {
        try lifecycle.withLock { state in
            guard !state.stopped else { return }
            state.tasks += try startTasks()
        }
    }

    private func startTasks() throws -> [Task<Void, Never>] {
        let resumed = try RestartRecovery.prepare(context, tables: projections.nodes.tables)
        for node in resumed { queue.poke(node) }
        let reactor = reactor, periodic = periodic, clock = clock, configuration = configuration, logger = context.logger
        let allocations = allocations
        return [
            Task { await allocations.resumeUnfinished(logger: logger) },
            Task {
                do { try await reactor.run() } catch is CancellationError {} catch {
                    logger.error("The provisioning reactor stopped: \(error)")
                }
            },
            Task { await PeriodicChecks.every(configuration.checkProvisionStateInterval, clock: clock) { await periodic.failTimedOutWaits() } },
            Task { await PeriodicChecks.every(configuration.syncPowerStateInterval, clock: clock) { await periodic.syncPowerStates() } },
            Task { await PeriodicChecks.every(configuration.powerFailureRecoveryInterval, clock: clock) { await periodic.recoverPowerFailures() } },
        ]
    }

    /// Returns once every event so far has been reacted to and no node's work is running — the
    /// fleet is at rest (waiting nodes keep waiting).
    public func settle() async throws {
        while true {
            let head = try store.currentHead().position
            await queue.waitUntilIdle()
            if reactor.position >= head, queue.isIdle, try store.currentHead().position == head { return }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Runs the periodic checks once now (for tests and operators' tools).
    public func runPeriodicChecks() async {
        await periodic.failTimedOutWaits()
        await periodic.syncPowerStates()
        await periodic.recoverPowerFailures()
    }

    /// How far behind the log's head the reactor and the projections are (see ``ConsumerLag``).
    public func lag() throws -> ConsumerLag {
        let head = try store.currentHead().position
        let projected = try projections.checkpoint()
        let reacted = reactor.position
        return ConsumerLag(head: head, projections: head - min(head, projected), reactor: head - min(head, reacted))
    }

    /// Stops gracefully: the reactor and the periodic checks stop taking new events, running work
    /// finishes its current step and stops there (the node keeps its state, and the next start
    /// resumes it from the log), then everything is made durable and the store closes.
    ///
    /// Call it once the API has stopped taking requests. ``close()`` is the abrupt form.
    public func shutdown() async {
        let running = lifecycle.withLock { state in
            defer { state = ([], true) }
            return state.tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
        queue.stopAccepting()
        context.stop()
        await queue.waitUntilIdle()
        closeStore()
    }

    /// Stops the reactor and periodic work, makes everything durable and closes the store.
    /// Work running on nodes is not waited for; ``shutdown()`` is the graceful form.
    public func close() {
        let running = lifecycle.withLock { state in
            defer { state = ([], true) }
            return state.tasks
        }
        for task in running { task.cancel() }
        closeStore()
    }

    /// Closes the store once, however many of ``close()`` and ``shutdown()`` are called.
    private func closeStore() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        store.close()
    }
}
