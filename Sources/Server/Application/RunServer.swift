import Engine
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the Ironic API over `conductor` until SIGTERM or SIGINT, then shuts both down gracefully.
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
                      metrics: ServerMetrics = ServerMetrics(),
                      maximumGracefulShutdownDuration: Duration = .seconds(30)) async throws {
    try await serverServiceGroup(conductor: conductor, configuration: configuration, logger: logger, metrics: metrics,
                                 gracefulShutdownSignals: [.sigterm, .sigint],
                                 maximumGracefulShutdownDuration: maximumGracefulShutdownDuration).run()
}

/// The service group ``runServer(conductor:configuration:logger:metrics:maximumGracefulShutdownDuration:)``
/// runs: the engine first and the HTTP application after it, so that shutdown — which goes in
/// reverse — stops the API before the engine. Shut it down with `gracefulShutdownSignals` or
/// `triggerGracefulShutdown()`.
func serverServiceGroup(conductor: Conductor, configuration: ServerConfiguration, logger: Logger,
                        metrics: ServerMetrics = ServerMetrics(), gracefulShutdownSignals: [UnixSignal],
                        maximumGracefulShutdownDuration: Duration = .seconds(30)) -> ServiceGroup {
    let application = buildApplication(conductor: conductor, configuration: configuration, logger: logger, metrics: metrics)
    var group = ServiceGroupConfiguration(
        services: [ConductorService(conductor: conductor), application],
        gracefulShutdownSignals: gracefulShutdownSignals,
        logger: logger
    )
    group.maximumGracefulShutdownDuration = maximumGracefulShutdownDuration
    return ServiceGroup(configuration: group)
}
