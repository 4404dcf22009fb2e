import Engine
import ServiceLifecycle

/// The engine as a ServiceLifecycle service: it runs (the conductor is already started) until
/// graceful shutdown, then shuts the conductor down — reactors stopped, running work stopped at a
/// step boundary, the store made durable and closed (``Conductor/shutdown()``).
///
/// Put it *before* the HTTP application in the service group: the group shuts services down in
/// reverse order, so the API stops taking requests and drains those in flight first.
struct ConductorService: Service {
    let conductor: Conductor

    func run() async throws {
        // Returns on graceful shutdown, throws on cancellation; either way the engine stops.
        try? await gracefulShutdown()
        await conductor.shutdown()
    }
}
