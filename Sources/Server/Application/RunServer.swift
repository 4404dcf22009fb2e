import Engine
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Runs the Ironic API over `conductor` until SIGTERM or SIGINT, then shuts both down gracefully.
///
/// With `startingConductor`, the conductor is started (``Conductor/start()``: interrupted work
/// resumed, reactor and periodic checks running) as soon as the API is listening, so that a
/// restart answers requests while the work the last run left is picked up. Check the log's tail
/// (``Conductor/verifyTail()``) first: a log that does not verify must not be served. If the
/// start fails, the server shuts down and the error is thrown.
///
/// The application and the engine run in one ServiceLifecycle `ServiceGroup` (see
/// ``serverServiceGroup(conductor:configuration:logger:metrics:gracefulShutdownSignals:maximumGracefulShutdownDuration:)``).
/// On either signal, in order:
/// 1. the server stops accepting connections and finishes the requests in flight;
/// 2. the engine stops: the reactor and periodic checks stop, work running on a node finishes its
///    current step and stops there (the next start resumes it), and the store is made durable
///    and closed (``Conductor/shutdown()``).
///
/// A request that never ends by itself (a live event stream) is cut off once
/// `maximumGracefulShutdownDuration` has passed. Throws if the server cannot start (e.g. the
/// address is in use).
public func runServer(conductor: Conductor, configuration: ServerConfiguration, logger: Logger,
                      metrics: ServerMetrics = ServerMetrics(), startingConductor: Bool = false,
                      maximumGracefulShutdownDuration: Duration = .seconds(30)) async throws {
    let starter = DeferredStart(conductor: conductor)
    let services = serverServiceGroup(conductor: conductor, configuration: configuration, logger: logger, metrics: metrics,
                                      gracefulShutdownSignals: [.sigterm, .sigint],
                                      maximumGracefulShutdownDuration: maximumGracefulShutdownDuration,
                                      onListening: { if startingConductor { starter.begin() } })
    starter.group = services
    try await services.run()
    if let error = starter.error { throw error }
}

/// Starts a conductor in the background once the API listens; if the start fails, it records the
/// error and shuts the service group down.
private final class DeferredStart: Sendable {
    private let conductor: Conductor
    private let state = Mutex<(group: ServiceGroup?, error: (any Error)?)>((nil, nil))

    init(conductor: Conductor) { self.conductor = conductor }

    var group: ServiceGroup? {
        get { state.withLock { $0.group } }
        set { state.withLock { $0.group = newValue } }
    }

    var error: (any Error)? { state.withLock { $0.error } }

    /// Starts the conductor without holding up the caller: the server answers meanwhile.
    func begin() {
        Task {
            do {
                try conductor.start()
            } catch {
                let group = state.withLock { state in
                    state.error = error
                    return state.group
                }
                await group?.triggerGracefulShutdown()
            }
        }
    }
}

/// The service group ``runServer(conductor:configuration:logger:metrics:maximumGracefulShutdownDuration:)``
/// runs: the engine first and the HTTP application after it, so that shutdown — which goes in
/// reverse — stops the API before the engine. Shut it down with `gracefulShutdownSignals` or
/// `triggerGracefulShutdown()`.
func serverServiceGroup(conductor: Conductor, configuration: ServerConfiguration, logger: Logger,
                        metrics: ServerMetrics = ServerMetrics(), gracefulShutdownSignals: [UnixSignal],
                        maximumGracefulShutdownDuration: Duration = .seconds(30),
                        onListening: @escaping @Sendable () async -> Void = {}) -> ServiceGroup {
    let application = buildApplication(conductor: conductor, configuration: configuration, logger: logger,
                                       versions: APIVersion.served, metrics: metrics, onListening: onListening)
    var group = ServiceGroupConfiguration(
        services: [ConductorService(conductor: conductor), application],
        gracefulShutdownSignals: gracefulShutdownSignals,
        logger: logger
    )
    group.maximumGracefulShutdownDuration = maximumGracefulShutdownDuration
    return ServiceGroup(configuration: group)
}
