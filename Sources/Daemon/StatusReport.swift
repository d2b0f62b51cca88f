import Build
import Cache
import Foundation
import Governor
import Metrics

/// The `/status` document. `unjucksd status` and the dashboard read it.
public struct StatusReport: Sendable, Codable {
    public struct SiteStatus: Sendable, Codable {
        public var name: String
        public var root: String
        public var output: String
        /// Where the daemon previews it.
        public var url: String
        /// Pages in the search index (built HTML pages).
        public var pages: Int
        /// Whether its last build had errors (its HTML pages show an overlay).
        public var failing: Bool
        public var errors: Int
        /// Up to 100 page URLs within the site (load tests browse these).
        public var sampleURLs: [String]
    }

    public struct Workers: Sendable, Codable {
        public var busy: Int
        /// The concurrency granted now (the governor lowers it).
        public var limit: Int
        public var max: Int
    }

    public struct Memory: Sendable, Codable {
        public var rss: UInt64
        public var limit: UInt64?
        public var usage: Double?
        /// normal | elevated | critical
        public var pressure: String
        public var pressureLevel: Int
        public var rebuildsPaused: Bool
    }

    public struct Tier: Sendable, Codable {
        public var hits: UInt64
        public var misses: UInt64
        public var errors: UInt64
        public var bytes: UInt64
        public var entries: UInt64
        public var hitRatio: Double
    }

    public struct Redis: Sendable, Codable {
        public var configured: Bool
        /// closed | open | half-open
        public var circuit: String
        public var circuitState: Int
    }

    public struct Watch: Sendable, Codable {
        public var events: UInt64
        public var settleMilliseconds: Double
        public var polling: Bool
        public var batches: Int
        public var overflows: Int
        public var rescans: Int
        /// Watches the kernel refused (ENOSPC: raise fs.inotify.max_user_watches).
        public var failedWatches: Int
        public var watchedDirectories: Int
        public var polledSubtrees: Int
    }

    public struct HTTP: Sendable, Codable {
        public var requests: UInt64
        /// Latency quantiles in milliseconds, estimated from the request histogram.
        public var p50: Double
        public var p95: Double
        public var p99: Double
        public var openConnections: Int
        public var eventClients: Int
    }

    public var version: String
    public var uptime: Double
    public var startedAt: String
    public var ready: Bool
    public var building: Bool
    /// Whether the search index is still taking in the last build's pages.
    public var indexing: Bool
    public var buildingTrigger: String?
    public var builds: Int
    public var sites: [SiteStatus]
    public var lastBuild: BuildRecord?
    public var recentBuilds: [BuildRecord]
    public var queueDepth: Int
    public var workers: Workers
    public var memory: Memory
    public var cache: [String: Tier]
    public var redis: Redis
    public var watch: Watch
    public var http: HTTP
    public var search: Int
}

extension Daemon {
    /// The current `/status` document.
    public func status() -> StatusReport {
        refreshMetrics()
        let builder = self.builder
        let snapshot = governor.snapshot
        let cacheStats = metricsFeed.cacheStats(of: builder.cache)
        let current = state.withLock { $0 }
        let sites = builder.sites.map { site in
            let errors = current.siteErrors[site.name] ?? []
            return StatusReport.SiteStatus(
                name: site.name, root: site.root, output: builder.options.outputRoot + "/" + site.name,
                url: "/sites/\(site.name)/", pages: search.count(of: site.name),
                failing: !errors.isEmpty, errors: errors.count, sampleURLs: search.paths(of: site.name, sample: 100))
        }
        var tiers: [String: StatusReport.Tier] = [:]
        for tier in CacheTier.allCases {
            let figures = cacheStats[tier]
            tiers[tier.rawValue] = StatusReport.Tier(hits: figures.hits, misses: figures.misses, errors: figures.errors,
                                                     bytes: figures.bytes, entries: figures.entries,
                                                     hitRatio: (figures.hitRatio * 1000).rounded() / 1000)
        }
        let latency = metrics.httpRequestDuration.snapshot()
        let watch = watchStatistics
        return StatusReport(
            version: configuration.version,
            uptime: (Date().timeIntervalSince(startedAt) * 1000).rounded() / 1000,
            startedAt: BuildRecord.iso8601(startedAt),
            ready: isReady,
            building: current.building != nil,
            indexing: !indexer.isIdle,
            buildingTrigger: current.building?.rawValue,
            builds: current.buildCount,
            sites: sites,
            lastBuild: current.lastBuild,
            recentBuilds: current.recentBuilds.map { record in
                var light = record
                light.errors = Array(record.errors.prefix(3))
                return light
            },
            queueDepth: builder.pool.queueDepth,
            workers: .init(busy: builder.pool.busy, limit: builder.pool.concurrency, max: builder.pool.maxWorkers),
            memory: .init(rss: snapshot.residentBytes, limit: snapshot.limitBytes,
                          usage: snapshot.usageFraction.map { ($0 * 1000).rounded() / 1000 },
                          pressure: snapshot.state.description, pressureLevel: snapshot.state.rawValue,
                          rebuildsPaused: snapshot.rebuildsPaused),
            cache: tiers,
            redis: .init(configured: cacheStats.redisConfigured, circuit: cacheStats.redisDetails.circuit.description,
                         circuitState: cacheStats.circuitState),
            watch: .init(events: metrics.watchEvents.value, settleMilliseconds: configuration.settleWindow.seconds * 1000,
                         polling: configuration.pollInterval != nil, batches: watch?.batches ?? 0,
                         overflows: watch?.overflows ?? 0, rescans: watch?.rescans ?? 0, failedWatches: watch?.failedWatches ?? 0,
                         watchedDirectories: watch?.watchesActive ?? 0, polledSubtrees: watch?.polledSubtrees ?? 0),
            http: .init(requests: latency.count,
                        p50: Self.quantile(0.50, latency) * 1000, p95: Self.quantile(0.95, latency) * 1000,
                        p99: Self.quantile(0.99, latency) * 1000,
                        openConnections: server.openConnections, eventClients: events.subscriberCount),
            search: search.count)
    }

    /// A quantile estimated from histogram buckets (linear within a bucket).
    static func quantile(_ q: Double, _ snapshot: Histogram.Snapshot) -> Double {
        guard snapshot.count > 0 else { return 0 }
        let rank = q * Double(snapshot.count)
        var previousBound = 0.0
        var previousCount: UInt64 = 0
        for bucket in snapshot.cumulativeBuckets {
            if Double(bucket.count) >= rank {
                if bucket.upperBound.isInfinite { return previousBound }
                let inBucket = Double(bucket.count - previousCount)
                let fraction = inBucket > 0 ? (rank - Double(previousCount)) / inBucket : 1
                return ((previousBound + (bucket.upperBound - previousBound) * fraction) * 1e6).rounded() / 1e6
            }
            previousBound = bucket.upperBound
            previousCount = bucket.count
        }
        return previousBound
    }
}
