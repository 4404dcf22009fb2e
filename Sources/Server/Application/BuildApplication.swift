import EventStore
import Hummingbird
import Logging

/// Builds the Ironic API application over `store`, bound as `configuration` says.
///
/// The application is a ServiceLifecycle `Service`: run it inside a `ServiceGroup` (see
/// ``runServer(store:configuration:logger:)``) or test it with HummingbirdTesting. The caller owns
/// `store` and closes it after the application has stopped.
public func buildApplication(
    store: LMDBEventStore,
    configuration: ServerConfiguration,
    logger: Logger
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(store: store, configuration: configuration),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "ironlog/\(IronlogVersion.current)"
        ),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            let address = ServerConfiguration(host: configuration.host, port: port).authority
            logger.info(
                "Ironic API listening on http://\(address)/",
                metadata: ["data": "\(store.directory)", "api_version": "\(APIVersion.minimum)-\(APIVersion.maximum)"]
            )
        },
        logger: logger
    )
}

/// The router: request ids and Ironic error handling around every route, then the routes.
func buildRouter(store: LMDBEventStore, configuration: ServerConfiguration) -> Router<IronlogRequestContext> {
    let router = Router(context: IronlogRequestContext.self)
    // Order matters: the request id wraps the error handler so error responses carry it too.
    // Both must be added before any route (and they also wrap the not-found responder).
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: IronicErrorMiddleware())
    RootRoutes(store: store, configuration: configuration).register(on: router)
    return router
}
