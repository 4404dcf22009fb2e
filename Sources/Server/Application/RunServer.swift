import Engine
import Logging
import ServiceLifecycle

/// Runs the Ironic API over `conductor` until SIGTERM or SIGINT, then shuts it down gracefully.
///
/// The application runs inside a ServiceLifecycle `ServiceGroup` with
/// `gracefulShutdownSignals: [.sigterm, .sigint]`: on either signal the server stops accepting
/// connections, finishes the requests in flight and returns. Throws if the server cannot start
/// (e.g. the address is in use). `conductor` stays open; the caller closes it afterwards.
public func runServer(conductor: Conductor, configuration: ServerConfiguration, logger: Logger) async throws {
    let application = buildApplication(conductor: conductor, configuration: configuration, logger: logger)
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: [application],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
    )
    try await group.run()
}
