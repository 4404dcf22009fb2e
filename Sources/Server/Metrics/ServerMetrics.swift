import CoreMetrics
import Engine
import EventStore
import Metrics
import Prometheus

/// The series `GET /metrics` serves, in a Prometheus registry this server owns.
///
/// Each server makes its own registry and hands swift-metrics its factory explicitly, instead of
/// bootstrapping the process-wide `MetricsSystem`: the process may run many servers (the tests
/// do), and each one's figures stay its own.
///
/// | Series | Kind | Labels |
/// |---|---|---|
/// | `ironlog_http_requests_total` | counter | `method`, `route` (the route pattern), `status` |
/// | `ironlog_http_request_duration_seconds` | histogram | `method`, `route`, `status` |
/// | `ironlog_store_commit_events` | histogram | events per commit (group-commit batch size) |
/// | `ironlog_store_commit_appends` | histogram | appends per commit |
/// | `ironlog_store_commit_duration_seconds` | histogram | one commit's transaction |
/// | `ironlog_log_head_position` | gauge | |
/// | `ironlog_projection_lag_events` | gauge | head minus the lowest projection checkpoint |
/// | `ironlog_reactor_lag_events` | gauge | head minus the reactor's position |
public final class ServerMetrics: Sendable {
    /// The registry the series live in.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    private let commitEvents: Recorder
    private let commitAppends: Recorder
    private let commitDuration: CoreMetrics.Timer
    private let head: CoreMetrics.Gauge
    private let projectionLag: CoreMetrics.Gauge
    private let reactorLag: CoreMetrics.Gauge

    /// Series names.
    enum Name {
        static let requests = "ironlog_http_requests_total"
        static let requestDuration = "ironlog_http_request_duration_seconds"
        static let commitEvents = "ironlog_store_commit_events"
        static let commitAppends = "ironlog_store_commit_appends"
        static let commitDuration = "ironlog_store_commit_duration_seconds"
        static let head = "ironlog_log_head_position"
        static let projectionLag = "ironlog_projection_lag_events"
        static let reactorLag = "ironlog_reactor_lag_events"
    }

    /// A fresh registry with every series that is not per request.
    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let sizes: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
        factory.valueHistogramBuckets = [Name.commitEvents: sizes, Name.commitAppends: sizes]
        factory.durationHistogramBuckets = [
            Name.commitDuration: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                                  .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                  .milliseconds(250), .milliseconds(500), .seconds(1)],
        ]
        self.registry = registry
        self.factory = factory
        commitEvents = Recorder(label: Name.commitEvents, factory: factory)
        commitAppends = Recorder(label: Name.commitAppends, factory: factory)
        commitDuration = CoreMetrics.Timer(label: Name.commitDuration, factory: factory)
        head = CoreMetrics.Gauge(label: Name.head, factory: factory)
        projectionLag = CoreMetrics.Gauge(label: Name.projectionLag, factory: factory)
        reactorLag = CoreMetrics.Gauge(label: Name.reactorLag, factory: factory)
    }

    /// Counts one answered request and its duration, under its route pattern (never the raw
    /// path, so the number of series stays bounded).
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: Name.requests, dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(label: Name.requestDuration, dimensions: dimensions, factory: factory).record(duration: duration)
    }

    /// Records every later commit of `store`.
    func observe(_ store: LMDBEventStore) {
        let events = commitEvents, appends = commitAppends, duration = commitDuration
        store.observeCommits { report in
            events.record(report.events)
            appends.record(report.appends)
            duration.record(duration: report.duration)
        }
    }

    /// The registry in Prometheus' text format, with the lag gauges read from `lag` first.
    func exposition(lag: ConsumerLag) -> String {
        head.record(Double(lag.head))
        projectionLag.record(Double(lag.projections))
        reactorLag.record(Double(lag.reactor))
        return registry.emitToString()
    }
}
