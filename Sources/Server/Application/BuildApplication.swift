import Engine
import EventStore
import Hummingbird
import Logging

/// Builds the Ironic API application over `conductor`, bound as `configuration` says.
///
/// The application is a ServiceLifecycle `Service`: run it inside a `ServiceGroup` (see
/// ``runServer(conductor:configuration:logger:)``) or test it with HummingbirdTesting. The caller
/// owns `conductor` and closes it after the application has stopped.
public func buildApplication(
    conductor: Conductor,
    configuration: ServerConfiguration,
    logger: Logger
) -> some ApplicationProtocol {
    buildApplication(conductor: conductor, configuration: configuration, logger: logger, versions: APIVersion.served)
}

/// The application negotiating within `versions` (tests widen it to reach gated features).
func buildApplication(
    conductor: Conductor,
    configuration: ServerConfiguration,
    logger: Logger,
    versions: VersionRange
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(conductor: conductor, configuration: configuration, versions: versions),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "ironlog/\(IronlogVersion.current)"
        ),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            let address = ServerConfiguration(host: configuration.host, port: port).authority
            logger.info(
                "Ironic API listening on http://\(address)/",
                metadata: ["data": "\(conductor.store.directory)", "api_version": "\(versions.minimum)-\(versions.maximum)"]
            )
        },
        logger: logger
    )
}

/// The router: request ids, microversions and Ironic error handling around every route, then
/// the routes.
func buildRouter(conductor: Conductor, configuration: ServerConfiguration,
                 versions: VersionRange = APIVersion.served) -> Router<IronlogRequestContext> {
    buildRoutes(conductor: conductor, configuration: configuration, versions: versions).router
}

/// The router of ``buildRouter(conductor:configuration:versions:)`` with the table of the routes
/// it serves (tests check the OpenAPI document against ``RouteTable/routes``).
func buildRoutes(conductor: Conductor, configuration: ServerConfiguration,
                 versions: VersionRange = APIVersion.served) -> (router: Router<IronlogRequestContext>, table: RouteTable) {
    let router = Router(context: IronlogRequestContext.self)
    // Order matters: the request id and the version headers wrap the error handler so error
    // responses carry them too. All three must be added before any route (they also wrap the
    // not-found responder).
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: APIVersionMiddleware(range: versions))
    router.add(middleware: IronicErrorMiddleware())
    let table = RouteTable(router: router)
    RootRoutes(store: conductor.store, configuration: configuration).register(on: table)
    OpenAPIRoutes().register(on: table)
    let nodes = NodeAPI(conductor: conductor, configuration: configuration)
    NodeCollectionRoutes(api: nodes).register(on: table)
    NodeRoutes(api: nodes).register(on: table)
    NodeStatesRoutes(api: nodes).register(on: table)
    NodeRAIDRoutes(api: nodes).register(on: table)
    NodeMaintenanceRoutes(api: nodes).register(on: table)
    NodeManagementRoutes(api: nodes).register(on: table)
    NodeNMIRoutes(api: nodes).register(on: table)
    NodeValidateRoutes(api: nodes).register(on: table)
    NodeTraitsRoutes(api: nodes).register(on: table)
    NodeVIFsRoutes(api: nodes).register(on: table)
    EventRoutes(api: nodes).register(on: table)
    EventStreamRoutes(api: nodes).register(on: table)
    PortCollectionRoutes(api: nodes).register(on: table)
    PortRoutes(api: nodes).register(on: table)
    PortGroupCollectionRoutes(api: nodes).register(on: table)
    PortGroupRoutes(api: nodes).register(on: table)
    let agents = AgentSessions()
    AgentLookupRoutes(api: nodes, sessions: agents).register(on: table)
    AgentHeartbeatRoutes(api: nodes, sessions: agents).register(on: table)
    VolumeRoutes(api: nodes).register(on: table)
    DriverRoutes(api: nodes).register(on: table)
    ConductorRoutes(api: nodes).register(on: table)
    table.finish()
    return (router, table)
}
