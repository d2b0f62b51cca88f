/// The catalogue of every metric named in the contract, registered with help text,
/// so the daemon and its modules only update values.
public final class UnjucksdMetrics: Sendable {
    /// The registry all of these live in; `/metrics` renders `registry.exposition()`.
    public let registry: MetricsRegistry

    /// `unjucksd_build_duration_seconds`: wall time of whole builds.
    public let buildDuration: Histogram
    /// `unjucksd_builds_total{result}`: finished builds by result (`success`, `failure`).
    public let builds: MetricFamily<Counter>
    /// `unjucksd_pages_rendered_total`: pages rendered (not served from cache).
    public let pagesRendered: Counter
    /// `unjucksd_render_duration_seconds`: time to render one page.
    public let renderDuration: Histogram
    /// `unjucksd_cache_requests_total{tier,result}`: tier memory|sqlite|redis, result hit|miss|error.
    public let cacheRequests: MetricFamily<Counter>
    /// `unjucksd_cache_bytes{tier}`: bytes held per cache tier.
    public let cacheBytes: MetricFamily<Gauge>
    /// `unjucksd_redis_circuit_state`: 0 closed, 1 open, 2 half-open.
    public let redisCircuitState: Gauge
    /// `unjucksd_workers_busy`: workers rendering right now.
    public let workersBusy: Gauge
    /// `unjucksd_workers_max`: the current worker concurrency limit.
    public let workersMax: Gauge
    /// `unjucksd_queue_depth`: jobs waiting for a worker.
    public let queueDepth: Gauge
    /// `unjucksd_memory_pressure_state`: 0 normal, 1 elevated, 2 critical.
    public let memoryPressureState: Gauge
    /// `unjucksd_watch_events_total`: file-system events received.
    public let watchEvents: Counter
    /// `unjucksd_http_requests_total{handler,code}`: HTTP requests answered.
    public let httpRequests: MetricFamily<Counter>
    /// `unjucksd_http_request_duration_seconds`: time to answer one HTTP request.
    public let httpRequestDuration: Histogram

    /// Cache tiers named in the contract.
    public static let cacheTiers = ["memory", "sqlite", "redis"]
    /// Cache request results named in the contract.
    public static let cacheResults = ["hit", "miss", "error"]

    /// The process-wide catalogue.
    public static let shared = UnjucksdMetrics()

    /// Registers every contract metric (and the process metrics) in `registry`.
    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        buildDuration = registry.histogram(
            "unjucksd_build_duration_seconds", help: "Wall time of a whole build in seconds.",
            buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120])
        builds = registry.counter(
            "unjucksd_builds_total", help: "Finished builds by result.", labelNames: ["result"])
        pagesRendered = registry.counter(
            "unjucksd_pages_rendered_total", help: "Pages rendered rather than served from the cache.")
        renderDuration = registry.histogram(
            "unjucksd_render_duration_seconds", help: "Time to render one page in seconds.",
            buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1])
        cacheRequests = registry.counter(
            "unjucksd_cache_requests_total", help: "Cache lookups by tier and result.",
            labelNames: ["tier", "result"])
        cacheBytes = registry.gauge(
            "unjucksd_cache_bytes", help: "Bytes held by each cache tier.", labelNames: ["tier"])
        redisCircuitState = registry.gauge(
            "unjucksd_redis_circuit_state", help: "Redis circuit breaker state: 0 closed, 1 open, 2 half-open.")
        workersBusy = registry.gauge("unjucksd_workers_busy", help: "Workers busy rendering.")
        workersMax = registry.gauge("unjucksd_workers_max", help: "Current limit on concurrent workers.")
        queueDepth = registry.gauge("unjucksd_queue_depth", help: "Jobs waiting for a worker.")
        memoryPressureState = registry.gauge(
            "unjucksd_memory_pressure_state", help: "Memory pressure: 0 normal, 1 elevated, 2 critical.")
        watchEvents = registry.counter(
            "unjucksd_watch_events_total", help: "File-system change events received by the watcher.")
        httpRequests = registry.counter(
            "unjucksd_http_requests_total", help: "HTTP requests answered by handler and status code.",
            labelNames: ["handler", "code"])
        httpRequestDuration = registry.histogram(
            "unjucksd_http_request_duration_seconds", help: "Time to answer one HTTP request in seconds.",
            buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5])
        registry.registerProcessMetrics()
        // Announce every tier/result pair at zero so dashboards see them before the first lookup.
        for tier in Self.cacheTiers {
            _ = cacheBytes.labels(tier)
            for result in Self.cacheResults { _ = cacheRequests.labels(tier, result) }
        }
    }

    /// Counts one cache lookup.
    public func recordCacheRequest(tier: String, result: String) {
        cacheRequests.labels(tier, result).increment()
    }

    /// Counts one finished build and its duration.
    public func recordBuild(succeeded: Bool, seconds: Double) {
        builds.labels(succeeded ? "success" : "failure").increment()
        buildDuration.observe(seconds)
    }

    /// Counts one answered HTTP request and its duration.
    public func recordHTTPRequest(handler: String, code: Int, seconds: Double) {
        httpRequests.labels(handler, String(code)).increment()
        httpRequestDuration.observe(seconds)
    }

    /// The Prometheus text exposition of everything in ``registry``.
    public func exposition() -> String { registry.exposition() }
}
