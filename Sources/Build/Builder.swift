import Cache
import Foundation
import Site

/// Builds a set of sites with one cache, one state database and one worker
/// pool. `unjucksd build` calls it once; the watch daemon keeps one and
/// calls `build` again for every settled batch of changes.
public final class Builder: @unchecked Sendable {
    public private(set) var options: BuildOptions
    public let cache: Cache
    public let state: BuildState
    public let pool: WorkerPool
    public private(set) var sites: [SiteDiscovery.FoundSite]

    public init(sites: [SiteDiscovery.FoundSite], cache: Cache, options: BuildOptions) throws {
        self.sites = sites
        self.cache = cache
        self.options = options
        state = try BuildState(database: cache.database)
        pool = WorkerPool(workers: options.jobs)
    }

    /// Builds every site (or only `names`) and returns the report.
    public func build(only names: Set<String>? = nil) -> BuildReport {
        let started = Date()
        var report = BuildReport()
        for site in sites where names == nil || names!.contains(site.name) {
            let builder = SiteBuilder(name: site.name, root: site.root, options: options, state: state, blobs: cache, pool: pool)
            report.sites.append(builder.build())
        }
        cache.flush()
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Reports (done, total) pages as they render, for a progress bar.
    public func setProgress(_ progress: @escaping @Sendable (Int, Int) -> Void) {
        options.progress = progress
    }

    public func shutdown() {
        pool.shutdown()
        cache.close()
    }
}
