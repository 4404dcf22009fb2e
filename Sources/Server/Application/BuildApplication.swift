import Engine
import EventStore
import Hummingbird
import Logging

/// Builds the Ironic API application over `conductor`, bound as `configuration` says.
///
/// The application is a ServiceLifecycle `Service`: run it inside a `ServiceGroup` (see
/// ``runServer(conductor:configuration:logger:)``) or test it with HummingbirdTesting. The caller
/// owns `conductor` and closes it after the application has stopped.
///
/// `metrics` receives the request, commit and lag series `GET /metrics` serves; by default the
/// application makes a registry of its own.
public func buildApplication(
    conductor: Conductor,
    configuration: ServerConfiguration,
    logger: Logger,
    metrics: ServerMetrics = ServerMetrics()
) -> some ApplicationProtocol {
    buildApplication(conductor: conductor, configuration: configuration, logger: logger, versions: APIVersion.served, metrics: metrics)
}

/// The application negotiating within `versions` (tests widen it to reach gated features).
///
/// `onListening` runs once the socket is bound and accepting connections.
func buildApplication(
    conductor: Conductor,
    configuration: ServerConfiguration,
    logger: Logger,
    versions: VersionRange,
    metrics: ServerMetrics = ServerMetrics(),
    onListening: @escaping @Sendable () async -> Void = {}
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(conductor: conductor, configuration: configuration, versions: versions, metrics: metrics),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "ironlog/\(IronlogVersion.current)"
        ),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            let address = ServerConfiguration(host: configuration.host, port: port).authority
            logger.info(
                "Ironic API listening on http://\(address)/",
                metadata: [
                    "data": "\(conductor.store.directory)", "api_version": "\(versions.minimum)-\(versions.maximum)",
                    "auth_strategy": "\(configuration.authentication.strategyName)",
                ]
            )
            await onListening()
        },
        logger: logger
    )
}

/// The router: metrics, request ids, request logs, CORS, microversions, Ironic error handling and
/// authentication around every route, then the routes.
func buildRouter(conductor: Conductor, configuration: ServerConfiguration,
                 versions: VersionRange = APIVersion.served, metrics: ServerMetrics = ServerMetrics()) -> Router<IronlogRequestContext> {
    buildRoutes(conductor: conductor, configuration: configuration, versions: versions, metrics: metrics).router
}

/// The router of ``buildRouter(conductor:configuration:versions:metrics:)`` with the table of the
/// routes it serves (tests check the OpenAPI document against ``RouteTable/routes``).
func buildRoutes(conductor: Conductor, configuration: ServerConfiguration,
                 versions: VersionRange = APIVersion.served,
                 metrics: ServerMetrics = ServerMetrics()) -> (router: Router<IronlogRequestContext>, table: RouteTable) {
    let router = Router(context: IronlogRequestContext.self)
    metrics.observe(conductor.store)
    // Order matters, outermost first. Metrics and the request log see every answer; CORS answers
    // preflights before authentication; the request id and the version headers wrap the error
    // handler so error responses carry them too; authentication sits inside the error handler so
    // its 401 has Ironic's shape. All must be added before any route (they also wrap the
    // not-found responder).
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestLogMiddleware())
    if !configuration.corsOrigins.isEmpty {
        router.add(middleware: CrossOriginMiddleware(origins: configuration.corsOrigins))
    }
    router.add(middleware: APIVersionMiddleware(range: versions))
    router.add(middleware: IronicErrorMiddleware())
    if case .httpBasic(let file) = configuration.authentication {
        router.add(middleware: HTTPBasicAuthMiddleware(authenticator: HTTPBasicAuthenticator(file: file)))
    }
    let table = RouteTable(router: router)
    RootRoutes(store: conductor.store, configuration: configuration).register(on: table)
    MetricsRoutes(metrics: metrics, conductor: conductor, configuration: configuration).register(on: table)
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
    NodeBIOSRoutes(api: nodes).register(on: table)
    NodeIndicatorRoutes(api: nodes).register(on: table)
    NodeBootModeRoutes(api: nodes).register(on: table)
    NodeInventoryRoutes(api: nodes).register(on: table)
    NodeChildrenRoutes(api: nodes).register(on: table)
    NodeFirmwareRoutes(api: nodes).register(on: table)
    NodeVirtualMediaRoutes(api: nodes).register(on: table)
    NetworkEventRoutes(api: nodes).register(on: table)
    ShardRoutes(api: nodes).register(on: table)
    ContinueInspectionRoutes(api: nodes).register(on: table)
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
    BootScriptRoutes(api: nodes).register(on: table)
    DriverRoutes(api: nodes).register(on: table)
    ConductorRoutes(api: nodes).register(on: table)
    AllocationRoutes(api: nodes).register(on: table)
    DeployTemplateRoutes(api: nodes).register(on: table)
    RunbookRoutes(api: nodes).register(on: table)
    InspectionRuleRoutes(api: nodes).register(on: table)
    ChassisRoutes(api: nodes).register(on: table)
    NetworkRoutes(api: nodes).register(on: table)
    NeutronRoutes(api: nodes).register(on: table)
    SwitchRoutes(api: nodes).register(on: table)
    NodeConsoleRoutes(api: nodes).register(on: table)
    VendorPassthruRoutes(api: nodes).register(on: table)
    DriverRAIDRoutes(api: nodes).register(on: table)
    UIRoutes().register(on: table)
    table.finish()
    return (router, table)
}
