import Build
import Cache
import Foundation
import Governor
import Metrics
import Synchronization

/// Carries figures other parts keep (the pool, the cache's per-tier
/// statistics, the governor, the watcher) into the contract's metrics.
/// Cumulative statistics become counter increments of what grew since the
/// last refresh.
final class MetricsFeed: Sendable {
    private let lastCache = Mutex<CacheStatistics?>(nil)
    private let recentStats = Mutex<(taken: ContinuousClock.Instant, stats: CacheStatistics)?>(nil)

    /// How old cache figures may be: reading them counts the SQLite tier's
    /// rows, which must not run on every `/status` or `/metrics` request.
    static let cacheStatsMaxAge = Duration.milliseconds(1000)

    /// The cache's statistics, at most `cacheStatsMaxAge` old.
    func cacheStats(of cache: Cache) -> CacheStatistics {
        let now = ContinuousClock.now
        if let recent = recentStats.withLock({ $0 }), now - recent.taken < Self.cacheStatsMaxAge { return recent.stats }
        let fresh = cache.stats()
        recentStats.withLock { $0 = (now, fresh) }
        return fresh
    }

    /// Forgets the remembered figures (after a build, so they are read anew).
    func invalidateCacheStats() {
        recentStats.withLock { $0 = nil }
    }

    func refresh(metrics: UnjucksdMetrics, pool: WorkerPool, cache: CacheStatistics, governor: GovernorSnapshot) {
        metrics.workersBusy.set(pool.busy)
        metrics.workersMax.set(pool.concurrency)
        metrics.queueDepth.set(pool.queueDepth)
        metrics.memoryPressureState.set(governor.state.rawValue)
        metrics.redisCircuitState.set(cache.circuitState)
        let previous = lastCache.withLock { last in
            defer { last = cache }
            return last ?? CacheStatistics()
        }
        for tier in CacheTier.allCases {
            let now = cache[tier]
            let before = previous[tier]
            let name = tier.rawValue
            metrics.cacheBytes.labels(name).set(Double(now.bytes))
            if now.hits > before.hits { metrics.cacheRequests.labels(name, "hit").increment(by: now.hits - before.hits) }
            if now.misses > before.misses { metrics.cacheRequests.labels(name, "miss").increment(by: now.misses - before.misses) }
            if now.errors > before.errors { metrics.cacheRequests.labels(name, "error").increment(by: now.errors - before.errors) }
        }
    }
}

extension Daemon {
    /// Brings the gauges and cache counters up to date (before `/metrics`
    /// and `/status` answer, and after each build).
    func refreshMetrics() {
        let builder = self.builder
        metricsFeed.refresh(metrics: metrics, pool: builder.pool, cache: metricsFeed.cacheStats(of: builder.cache),
                            governor: governor.snapshot)
        if let statistics = watchStatistics { watchDirectories.set(statistics.watchesActive) }
    }
}

/// Carries out the memory governor's decisions on the daemon's builder,
/// cache and rebuild scheduler.
final class GovernorActions: GovernorDelegate {
    private let daemon: Mutex<WeakDaemon>

    struct WeakDaemon: @unchecked Sendable { weak var value: Daemon? }

    init(daemon: Daemon) {
        self.daemon = Mutex(WeakDaemon(value: daemon))
    }

    private var target: Daemon? { daemon.withLock { $0.value } }

    func setConcurrency(_ workers: Int) {
        target?.builder.pool.setConcurrency(workers)
    }

    func shrinkMemoryCache(toFraction fraction: Double) {
        target?.builder.cache.shrinkMemory(toFraction: fraction)
    }

    func dropMemoryCache() {
        target?.builder.cache.memory.removeAll()
    }

    /// Decorated preview pages and render environments are rebuilt on
    /// demand; SQLite page caches refill.
    func releaseMemory() {
        guard let daemon = target else { return }
        daemon.builder.cache.database.releaseMemory()
        daemon.previewBox.withLock { $0 }?.removeAll()
        daemon.renderers.removeAll()
    }

    func setRebuildsPaused(_ paused: Bool) {
        guard let daemon = target else { return }
        daemon.configuration.log(paused ? "governor: memory critical; file-triggered rebuilds wait" : "governor: rebuilds resume")
        daemon.scheduler.setPaused(paused)
    }
}
