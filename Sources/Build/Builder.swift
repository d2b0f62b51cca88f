import Cache
import Foundation
import Site
import Synchronization

/// Builds a set of sites with one cache, one state database and one worker
/// pool. `unjucksd build` calls it once; the watch daemon keeps one and
/// calls `build` again for every settled batch of changes.
public final class Builder: @unchecked Sendable {
    public private(set) var options: BuildOptions
    public let cache: Cache
    public let state: BuildState
    public let pool: WorkerPool
    public private(set) var sites: [SiteDiscovery.FoundSite]
    private let readAhead = Atomic<Bool>(true)

    public init(sites: [SiteDiscovery.FoundSite], cache: Cache, options: BuildOptions) throws {
        self.sites = sites
        self.cache = cache
        self.options = options
        state = try BuildState(database: cache.database)
        pool = WorkerPool(workers: options.jobs)
    }

    /// Builds every site (or only `names`) and returns the report. With
    /// `changes` (absolute paths a watcher saw written or removed), sites
    /// built before are updated from those paths alone instead of a full
    /// scan; without, every file is stat'ed (always correct).
    public func build(only names: Set<String>? = nil, changes: ChangeHint? = nil) -> BuildReport {
        let started = Date()
        var report = BuildReport()
        var options = self.options
        if !readAheadEnabled { options.retainedBodyBytes = 0 }
        for site in sites where names == nil || names!.contains(site.name) {
            let builder = SiteBuilder(name: site.name, root: site.root, options: options, state: state, blobs: cache, pool: pool,
                                      memoryIsTight: { [unowned self] in !self.readAheadEnabled })
            report.sites.append(builder.build(changes: changes?.relative(to: RelativePath.absolute(site.root))))
        }
        cache.flush()
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Whether builds keep page bodies read while scanning for rendering
    /// (the memory governor turns this off when memory is tight; bodies are
    /// then read again by the worker that renders them).
    public var readAheadEnabled: Bool { readAhead.load(ordering: .relaxed) }

    public func setReadAhead(_ enabled: Bool) { readAhead.store(enabled, ordering: .relaxed) }

    /// Reports (done, total) pages as they render, and outputs as they are
    /// restored from the cache, for a progress bar.
    public func setProgress(_ progress: @escaping @Sendable (Int, Int) -> Void) {
        options.progress = progress
    }

    public func shutdown() {
        pool.shutdown()
        cache.close()
    }
}

/// Paths a file watcher reported, to rebuild from without scanning.
public struct ChangeHint: Sendable, Equatable {
    public var changed: Set<String>
    public var removed: Set<String>

    public init(changed: Set<String>, removed: Set<String>) {
        self.changed = changed
        self.removed = removed
    }

    /// The paths under `root`, relative to it.
    func relative(to root: String) -> ChangeHint {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        func strip(_ paths: Set<String>) -> Set<String> {
            Set(paths.compactMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil })
        }
        return ChangeHint(changed: strip(changed), removed: strip(removed))
    }
}
