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
