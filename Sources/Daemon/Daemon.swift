import Build
import Cache
import Foundation
import Governor
import Metrics
import Server
import Site
import Synchronization
import Watch

/// The watch daemon: builds once, then keeps every site's output exact as
/// files change (one rebuild at a time, bursts coalesced by the watcher's
/// settle window), and serves health, readiness, metrics, status, the
/// dashboard, live-reload events, the preview and the API over HTTP.
///
/// `start()` returns once the port is bound; the first build runs in the
/// background (`/ready` answers 503 until it is done). `stop()` is the
/// SIGINT/SIGTERM path: stop accepting, let a running build finish (outputs
/// are written atomically), flush and close the cache.
public final class Daemon: Sendable {
    public let configuration: DaemonConfiguration
    /// The contract's metrics, served at `/metrics`.
    public let metrics: UnjucksdMetrics
    /// Server-Sent Events to `/events` clients.
    public let events: EventBroadcaster
    /// Full-text index of the built pages (`/api/search`).
    public let search: SearchIndex
    public let governor: MemoryGovernor
    /// `unjucksd_watch_rescans_total`: batches after which events were lost (overflow, ENOSPC).
    let watchRescans: Counter
    /// `unjucksd_watch_directories`: inotify watches held.
    let watchDirectories: Gauge
    let server: HTTPServer
    let scheduler = RebuildScheduler()
    let outputs = OutputTracker()
    let indexer: SearchIndexer
    let renderers = SiteRenderers()
    let metricsFeed = MetricsFeed()
    let startedAt = Date()
    private let builderBox: Mutex<Builder>
    private let watcherBox = Mutex<(any FileWatcher)?>(nil)
    let previewBox = Mutex<PreviewHandler?>(nil)
    let state = Mutex(DaemonState())
    private let lifecycle = Mutex(Lifecycle.created)

    enum Lifecycle { case created, running, stopped }

    /// What the daemon knows about its builds.
    struct DaemonState: Sendable {
        var firstBuildFinished = false
        var building: RebuildRequest.Trigger?
        var buildCount = 0
        var lastBuild: BuildRecord?
        /// The most recent builds, oldest first (the dashboard's chart).
        var recentBuilds: [BuildRecord] = []
        /// Errors of each site's last build; empty when it succeeded.
        var siteErrors: [String: [SiteError]] = [:]
        /// Pipeline files run with the sites.
        var pipelines: [String] = []
        /// Bumped whenever previewed HTML must be decorated differently (errors appear, change or go).
        var decorationGeneration = 0
    }

    /// A daemon over the sites of `builder` (which owns the cache and the
    /// worker pool; the daemon shuts it down in `stop()`).
    public init(configuration: DaemonConfiguration, builder: Builder,
                memorySource: any MemorySource = ProcMemorySource()) {
        self.configuration = configuration
        let metrics = UnjucksdMetrics()
        self.metrics = metrics
        watchRescans = metrics.registry.counter(
            "unjucksd_watch_rescans_total", help: "Full rescans after the watcher lost events (queue overflow, no watch left).")
        watchDirectories = metrics.registry.gauge("unjucksd_watch_directories", help: "Directories watched with inotify.")
        events = EventBroadcaster()
        search = SearchIndex()
        indexer = SearchIndexer(index: search)
        builderBox = Mutex(builder)
        let log = configuration.log
        governor = MemoryGovernor(
            configuration: GovernorConfiguration(maxWorkers: builder.pool.maxWorkers, memoryLimit: configuration.memoryLimit,
                                                 logger: { log($0) }),
            source: memorySource)
        let serverConfiguration = HTTPServerConfiguration(
            threadPoolSize: configuration.httpThreads,
            bearerToken: configuration.token,
            requireTokenForMutations: configuration.requireToken,
            onRequestCompleted: { record in
                metrics.recordHTTPRequest(handler: record.handler, code: record.status, seconds: record.seconds)
            })
        server = HTTPServer(host: configuration.host, port: configuration.port, configuration: serverConfiguration)
        let sources = SourceSet.discover(configuration.sitePaths)
        state.withLock { $0.pipelines = sources.pipelines }
        scheduler.setHandler { [weak self] request in self?.rebuild(request) }
        governor.setDelegate(GovernorActions(daemon: self))
    }

    /// The builder in use (replaced when sites appear or vanish).
    public var builder: Builder { builderBox.withLock { $0 } }

    /// The port the HTTP server listens on (the real one when 0 was asked for).
    public var port: Int { server.port }

    /// The watcher's counters (nil before `start()`).
    public var watchStatistics: WatchStatistics? { watcherBox.withLock { $0 }?.statistics }

    /// The sites being built.
    public var sites: [SiteDiscovery.FoundSite] { builder.sites }

    /// The pipeline files run with every full build (and when files under their directory change).
    public var pipelines: [String] { state.withLock { $0.pipelines } }

    /// Binds the port, starts watching and the governor, and queues the first build.
    public func start() throws {
        try lifecycle.withLock { stage in
            guard stage == .created else { throw HTTPServerError.alreadyRunning }
            installRoutes()
            try server.start()
            do {
                let watcher = Watcher.make(watchConfiguration())
                try watcher.start({ [weak self] batch in self?.handle(batch) })
                watcherBox.withLock { $0 = watcher }
            } catch {
                server.stop()
                throw error
            }
            governor.start()
            stage = .running
        }
        scheduler.submit(RebuildRequest(trigger: .initial))
    }

    /// Stops accepting requests and file events, lets a running build finish
    /// (a queued one is dropped), and flushes and closes the cache. Safe to
    /// call more than once.
    public func stop() {
        let wasRunning = lifecycle.withLock { stage -> Bool in
            defer { stage = .stopped }
            return stage == .running
        }
        guard wasRunning else { return }
        let clock = ContinuousClock()
        var phases: [(String, Duration)] = []
        func timed(_ name: String, _ body: () -> Void) { phases.append((name, clock.measure(body))) }
        timed("http") { server.stop() }
        timed("watcher") { watcherBox.withLock { $0 }?.stop() }
        timed("build") { scheduler.stop() }
        timed("search") { indexer.stop() }
        timed("governor") {
            governor.stop()
            governor.setDelegate(nil)
        }
        events.close()
        server.updateRouter { $0 = HTTPRouter() }
        timed("cache") { builder.shutdown() }
        let slow = phases.filter { $0.1 > .milliseconds(100) }
        if !slow.isEmpty {
            configuration.log("stop: " + slow.map { "\($0.0) \(Int($0.1.secondsValue * 1000)) ms" }.joined(separator: ", "))
        }
    }

    // MARK: Readiness and waiting

    /// True once the first build finished and memory is not critical.
    public var isReady: Bool {
        state.withLock { $0.firstBuildFinished } && governor.snapshot.allowsReadiness
    }

    /// Builds finished so far (including ones with errors).
    public var completedBuilds: Int { scheduler.completedCount }

    /// The last finished build.
    public var lastBuild: BuildRecord? { state.withLock { $0.lastBuild } }

    /// Asks for a rebuild of every site, as `POST /api/build` does.
    public func requestBuild() {
        scheduler.submit(RebuildRequest(trigger: .manual))
    }

    /// Waits until no build runs or waits and the search index caught up; false on timeout.
    public func waitUntilIdle(timeout: Duration = .seconds(30)) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.secondsValue)
        return scheduler.waitUntilIdle(timeout: timeout) && indexer.waitUntilIdle(deadline: deadline)
    }

    /// Waits until more than `count` builds have finished; false on timeout.
    public func waitForBuild(after count: Int, timeout: Duration = .seconds(30)) -> Bool {
        scheduler.waitForCompleted(moreThan: count, timeout: timeout)
    }

    // MARK: Watching

    func watchConfiguration() -> WatchConfiguration {
        let output = builder.options.outputRoot
        var excluded = [output, ".unjucksd"] + configuration.excludedPaths
        if let path = builder.cache.configuration.location.sqlitePath {
            // The cache file and its -wal/-shm siblings change on every build.
            excluded += [path, path + "-wal", path + "-shm", path + "-journal"]
        }
        let log = configuration.log
        return WatchConfiguration(
            roots: watchRoots(),
            excludedPaths: excluded.map(RelativePath.absolute),
            mode: configuration.pollInterval.map { .poll(interval: $0) } ?? .inotify,
            settleWindow: configuration.settleWindow,
            logger: { log($0) })
    }

    /// The PATH directories, and the directory of each pipeline file named directly.
    func watchRoots() -> [String] {
        var roots: [String] = []
        for path in configuration.sitePaths {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let root = RelativePath.absolute(exists && !isDirectory.boolValue ? (path as NSString).deletingLastPathComponent : path)
            if !roots.contains(root) { roots.append(root) }
        }
        return roots
    }

    func handle(_ batch: WatchBatch) {
        metrics.watchEvents.increment(by: UInt64(max(0, batch.eventCount)))
        var request = RebuildRequest(trigger: batch.needsRescan ? .rescan : .watch)
        request.changed = batch.changed
        request.removed = batch.removed
        request.firstEvent = batch.firstEventTime
        if batch.needsRescan {
            watchRescans.increment()
            configuration.log("watch: events were lost; rebuilding everything against the stored state (a full rescan)")
        }
        scheduler.submit(request)
    }

    // MARK: Sites

    /// Swaps in a builder for `sites`, keeping the cache and options.
    func replaceBuilder(sites: [SiteDiscovery.FoundSite]) -> Builder? {
        let old = builder
        do {
            let fresh = try Builder(sites: sites, cache: old.cache, options: old.options)
            fresh.pool.setConcurrency(old.pool.concurrency)
            builderBox.withLock { $0 = fresh }
            old.pool.shutdown()
            return fresh
        } catch {
            configuration.log("watch: cannot rebuild the site list: \(error)")
            return nil
        }
    }
}

extension Daemon {
    /// Whether POST requests must carry the bearer token (bound beyond loopback, or forced).
    public var requiresToken: Bool { server.tokenPolicy.isRequired }
}
